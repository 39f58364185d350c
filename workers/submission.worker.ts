import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { SubmissionProcessor, ProcessResult } from '../src/domain/verification/submission-processor.js';
import { jobCatalog, queueProcessor } from '../src/queue/job-catalog.js';
import type { Logger } from '../src/shared/logger.js';
import { metrics } from '../src/shared/metrics.js';

export interface SubmissionWorkerOptions {
  readonly connection: Redis;
  readonly prefix: string;
  readonly processor: SubmissionProcessor;
  readonly concurrency: number;
  readonly lockMs: number;
  readonly logger: Logger;
}

/** Parses the job again (Redis is not trusted to hold what the producer meant) and runs the domain. */
export async function handleProcessSubmission(processor: SubmissionProcessor, job: Job): Promise<ProcessResult> {
  const { submissionId } = jobCatalog.SubmissionProcess.payload.parse(job.data);
  return processor.process(submissionId);
}

/**
 * The BullMQ worker for submissions. A job that keeps failing is given up after its attempts and the
 * submission is still brought to a terminal `failed` state, so no client polls forever.
 */
export function createSubmissionWorker(opts: SubmissionWorkerOptions): Worker {
  const { processor, logger } = opts;
  const queue = jobCatalog.SubmissionProcess.queue;
  const worker = new Worker(
    queue,
    queueProcessor(queue, { SubmissionProcess: (job) => handleProcessSubmission(processor, job) }),
    {
      connection: opts.connection,
      prefix: opts.prefix,
      concurrency: opts.concurrency,
      lockDuration: opts.lockMs,
      stalledInterval: Math.max(1000, Math.floor(opts.lockMs / 2)),
      maxStalledCount: 2,
    },
  );
  worker.on('completed', (job, result: ProcessResult) => {
    if (result.status !== 'skipped') {
      metrics.submissionsDecided.inc({ status: result.status, decision: result.decision ?? 'none' });
    }
    logger.info({ jobId: job.id, status: result.status, attempts: job.attemptsMade }, 'submission processed');
  });
  worker.on('failed', (job, error) => {
    if (!job) return;
    const exhausted = job.attemptsMade >= (job.opts.attempts ?? 1);
    logger.warn({ jobId: job.id, attempts: job.attemptsMade, exhausted, err: { message: error.message } }, 'submission job failed');
    if (!exhausted) return;
    const parsed = jobCatalog.SubmissionProcess.payload.safeParse(job.data);
    if (parsed.success) {
      processor.failPermanently(parsed.data.submissionId, 'PROCESSING_ERROR').catch((e: unknown) =>
        logger.error({ jobId: job.id, err: e }, 'could not mark submission failed'));
    }
  });
  worker.on('error', (error) => logger.error({ err: { message: error.message } }, 'worker error'));
  return worker;
}
