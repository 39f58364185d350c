/** Campaign behaviour taken from the configuration (see docs/CAMPAIGNS.md for each key). */
export interface CampaignSettings {
  /** Notification gateway (SMS/push lives there); reminders go here. null: campaigns cannot start. */
  readonly notifyUrl: string | null;
  /** Payment system; overdue and cleared messages go here. null: exports only. */
  readonly paymentUrl: string | null;
  /** HMAC-SHA256 key of the X-Zinda-Signature header. */
  readonly secret: string | null;
  /** Attempts per message before it is dead-lettered. */
  readonly webhookAttempts: number;
  /** First retry delay; doubles each attempt. */
  readonly webhookBackoffMs: number;
  readonly webhookTimeoutMs: number;
  readonly webhookConcurrency: number;
  /** Subjects per fan-out page (one transaction and one addBulk each). */
  readonly pageSize: number;
  /** How often the campaign tick runs (due steps, templates, dispatch, reconcile). */
  readonly tickMs: number;
  /** Webhook jobs allowed to wait in Redis at once; the rest wait in the database outbox. */
  readonly maxQueuedDeliveries: number;
  /** BullMQ lock of campaign jobs: a killed worker's fan-out is taken over after this. */
  readonly jobLockMs: number;
}

/** The environment keys, as src/config/env.ts parses them. */
export interface CampaignEnv {
  NOTIFY_WEBHOOK_URL?: string;
  PAYMENT_WEBHOOK_URL?: string;
  WEBHOOK_SECRET?: string;
  WEBHOOK_ATTEMPTS?: number;
  WEBHOOK_BACKOFF_MS?: number;
  WEBHOOK_TIMEOUT_MS?: number;
  WEBHOOK_CONCURRENCY?: number;
  CAMPAIGN_PAGE_SIZE?: number;
  CAMPAIGN_TICK_SECONDS?: number;
  CAMPAIGN_MAX_QUEUED_DELIVERIES?: number;
}

/** Settings from the parsed configuration; keys not (yet) in it take their defaults. */
export function campaignSettingsFrom(config: { readonly JOB_LOCK_MS: number } & CampaignEnv): CampaignSettings {
  return {
    notifyUrl: config.NOTIFY_WEBHOOK_URL ?? null,
    paymentUrl: config.PAYMENT_WEBHOOK_URL ?? null,
    secret: config.WEBHOOK_SECRET ?? null,
    webhookAttempts: config.WEBHOOK_ATTEMPTS ?? 8,
    webhookBackoffMs: config.WEBHOOK_BACKOFF_MS ?? 30_000,
    webhookTimeoutMs: config.WEBHOOK_TIMEOUT_MS ?? 10_000,
    webhookConcurrency: config.WEBHOOK_CONCURRENCY ?? 8,
    pageSize: config.CAMPAIGN_PAGE_SIZE ?? 2000,
    tickMs: (config.CAMPAIGN_TICK_SECONDS ?? 30) * 1000,
    maxQueuedDeliveries: config.CAMPAIGN_MAX_QUEUED_DELIVERIES ?? 100_000,
    jobLockMs: config.JOB_LOCK_MS,
  };
}
