import { z } from 'zod';
import type { JobsOptions } from 'bullmq';

/**
 * Campaign jobs: name → payload schema → jobId, in one place (as src/queue/job-catalog.ts for the
 * spine). Payloads carry ids only; the message text, the pension number and the URL stay in PostgreSQL.
 */
export const CAMPAIGN_QUEUES = { campaigns: 'campaigns', webhooks: 'webhooks' } as const;

export const campaignJobCatalog = {
  /** One fan-out step (invite, reminder-<h>h, close); resumable from the cursor in campaign_steps. */
  CampaignStepRun: {
    queue: CAMPAIGN_QUEUES.campaigns,
    payload: z.object({ campaignId: z.uuid(), step: z.string().regex(/^(invite|close|reminder-\d+h)$/) }).strict(),
    jobId: (p: { campaignId: string; step: string }) => `campaign-step-${p.campaignId}-${p.step}`,
  },
  /** The backstop: due steps, template periods, outbox, reconcile (a job scheduler, every CAMPAIGN_TICK_SECONDS). */
  CampaignTick: {
    queue: CAMPAIGN_QUEUES.campaigns,
    payload: z.object({}).strict(),
    jobId: () => 'campaign-tick',
  },
  /** A template's period began (a job scheduler per template, cron in UTC). */
  CampaignTemplateRun: {
    queue: CAMPAIGN_QUEUES.campaigns,
    payload: z.object({ templateId: z.uuid() }).strict(),
    jobId: (p: { templateId: string }) => `campaign-template-${p.templateId}`,
  },
  /** One signed webhook message; jobId = the outbox row, so dispatching it twice yields one job. */
  WebhookDeliver: {
    queue: CAMPAIGN_QUEUES.webhooks,
    payload: z.object({ deliveryId: z.uuid() }).strict(),
    jobId: (p: { deliveryId: string }) => `webhook-${p.deliveryId}`,
  },
} as const;

export type CampaignJobName = keyof typeof campaignJobCatalog;

/** Job records hold ids only and the database is the record: nothing is kept once a job is over. */
export const campaignJobDefaults: JobsOptions = { removeOnComplete: true, removeOnFail: true };
