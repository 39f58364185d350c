import type { StepName } from './campaign.js';

/** Campaign control jobs; implemented over BullMQ in src/queue/campaign.producer.ts. */
export interface CampaignJobQueue {
  /** Idempotent per (campaign, step) while the job exists; delayMs 0 = now. */
  enqueueStep(campaignId: string, step: StepName, delayMs: number): Promise<void>;
  /** Registers (or updates) a template's job scheduler at a cron pattern (UTC). */
  scheduleTemplate(templateId: string, pattern: string): Promise<void>;
  unscheduleTemplate(templateId: string): Promise<void>;
}

/** Webhook delivery jobs, one per message (jobId webhook-<delivery id>). */
export interface DeliveryQueue {
  enqueueDeliveries(deliveryIds: readonly string[]): Promise<void>;
  /** Delivery jobs waiting, delayed or running: the fan-out stops feeding Redis above a limit. */
  backlog(): Promise<number>;
}

/** One signed HTTP POST. Throws on a network failure or timeout; returns the status otherwise. */
export interface WebhookTransport {
  post(url: string, body: string, headers: Record<string, string>, timeoutMs: number): Promise<{ status: number }>;
}
