import { z } from 'zod';
import type { JobsOptions } from 'bullmq';

/**
 * Every job the system runs: name → payload schema → options, in one place. Payloads carry IDs
 * only: no image, passport field or embedding ever enters Redis.
 */
export const QUEUES = { submissions: 'submissions', retention: 'retention', upgradeControl: 'model-upgrade-control', upgradeSubjects: 'model-upgrade' } as const;

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
} as const;

export type JobName = keyof typeof jobCatalog;
export type JobPayload<N extends JobName> = z.infer<(typeof jobCatalog)[N]['payload']>;

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
