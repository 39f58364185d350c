import { z } from 'zod';
import type { Job, JobsOptions } from 'bullmq';

/**
 * Every job the system runs: name → payload schema → options, in one place. Payloads carry IDs
 * only: no image, passport field or embedding ever enters Redis.
 */
export const QUEUES = {
  submissions: 'submissions', retention: 'retention', upgradeControl: 'model-upgrade-control', upgradeSubjects: 'model-upgrade',
  campaigns: 'campaigns', webhooks: 'webhooks',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

export const jobCatalog = {
  SubmissionProcess: {
    queue: QUEUES.submissions,
    payload: z.object({ submissionId: z.uuid() }).strict(),
    /** jobId = the submission id: enqueuing twice yields one job. */
    jobId: (p: { submissionId: string }) => `submission-${p.submissionId}`,
  },
  /** Fires at an item's delete_at; the handler re-reads the row, so a stale job does nothing. */
  StoredItemPurge: {
    queue: QUEUES.retention,
    payload: z.object({ itemId: z.uuid() }).strict(),
    jobId: (p: { itemId: string }) => `purge-${p.itemId}`,
  },
  /** The database backstop: purges everything overdue, whatever happened to the delayed jobs. */
  RetentionSweep: {
    queue: QUEUES.retention,
    payload: z.object({}).strict(),
    jobId: () => 'retention-sweep',
  },
  /** A model upgrade batch's fan-out over its cohort; resumable from the cursor in model_upgrade_batches. */
  ModelUpgradeFanOut: {
    queue: QUEUES.upgradeControl,
    payload: z.object({ batchId: z.uuid() }).strict(),
    jobId: (p: { batchId: string }) => `model-upgrade-fanout-${p.batchId}`,
  },
  /** The backstop of a running batch (a job scheduler): lost jobs put back, a drained batch closed. */
  ModelUpgradeTick: {
    queue: QUEUES.upgradeControl,
    payload: z.object({}).strict(),
    jobId: () => 'model-upgrade-tick',
  },
  /** One subject's references re-extracted (or the subject marked for re-enrolment); the row decides, not the job. */
  ModelUpgradeSubject: {
    queue: QUEUES.upgradeSubjects,
    payload: z.object({ batchId: z.uuid(), subjectId: z.uuid() }).strict(),
    jobId: (p: { batchId: string; subjectId: string }) => `model-upgrade-${p.batchId}-${p.subjectId}`,
  },
  /** One campaign fan-out step (invite, reminder-<h>h, close); resumable from the cursor in campaign_steps. */
  CampaignStepRun: {
    queue: QUEUES.campaigns,
    payload: z.object({ campaignId: z.uuid(), step: z.string().regex(/^(invite|close|reminder-\d+h)$/) }).strict(),
    jobId: (p: { campaignId: string; step: string }) => `campaign-step-${p.campaignId}-${p.step}`,
  },
  /** The campaigns' backstop: due steps, template periods, outbox, reconcile (a job scheduler, every CAMPAIGN_TICK_SECONDS). */
  CampaignTick: {
    queue: QUEUES.campaigns,
    payload: z.object({}).strict(),
    jobId: () => 'campaign-tick',
  },
  /** A campaign template's period began (a job scheduler per template, cron in UTC). */
  CampaignTemplateRun: {
    queue: QUEUES.campaigns,
    payload: z.object({ templateId: z.uuid() }).strict(),
    jobId: (p: { templateId: string }) => `campaign-template-${p.templateId}`,
  },
  /** One signed webhook message; jobId = the outbox row, so dispatching it twice yields one job. The message text stays in PostgreSQL. */
  WebhookDeliver: {
    queue: QUEUES.webhooks,
    payload: z.object({ deliveryId: z.uuid() }).strict(),
    jobId: (p: { deliveryId: string }) => `webhook-${p.deliveryId}`,
  },
} as const;

export type JobName = keyof typeof jobCatalog;
export type JobPayload<N extends JobName> = z.infer<(typeof jobCatalog)[N]['payload']>;

export type JobHandler<R = unknown> = (job: Job) => Promise<R>;
export type JobHandlers<R = unknown> = Partial<Record<JobName, JobHandler<R>>>;

/** The catalog's jobs that travel on one queue. */
export function jobsOn(queue: QueueName): JobName[] {
  return (Object.keys(jobCatalog) as JobName[]).filter((name) => jobCatalog[name].queue === queue);
}

/**
 * A queue's processor, built when a role starts: every job the catalog routes to this queue must have a
 * handler, else the start fails naming it (otherwise the gap shows only when such a job arrives, maybe days later).
 */
export function queueProcessor<R>(queue: QueueName, handlers: JobHandlers<R>): JobHandler<R> {
  const missing = jobsOn(queue).filter((name) => !handlers[name]);
  if (missing.length) throw new Error(`Queue "${queue}" has no handler for job ${missing.map((n) => `"${n}"`).join(', ')}`);
  const stray = (Object.keys(handlers) as JobName[]).filter((name) => jobCatalog[name].queue !== queue);
  if (stray.length) throw new Error(`Queue "${queue}" was given handlers for jobs of other queues: ${stray.map((n) => `"${n}"`).join(', ')}`);
  return async (job) => {
    const handler = handlers[job.name as JobName];
    if (!handler) throw new Error(`No handler for job "${job.name}"`);
    return handler(job);
  };
}

/** Campaign job records hold ids only and the database is the record: nothing is kept once a job is over. */
export const campaignJobDefaults: JobsOptions = { removeOnComplete: true, removeOnFail: true };

export interface RetryPolicy {
  readonly attempts: number;
  readonly backoffMs: number;
}

export function jobOptions(retry: RetryPolicy): JobsOptions {
  return {
    attempts: retry.attempts,
    backoff: { type: 'exponential', delay: retry.backoffMs },
    // Job records hold only ids, but there is no reason to keep them: the database is the record.
    removeOnComplete: { age: 3600, count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}
