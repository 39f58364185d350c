import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { SubmissionQueue } from '../domain/submissions/submission-queue.js';
import { jobCatalog, jobOptions, type RetryPolicy } from './job-catalog.js';

/** Puts submissions on the BullMQ queue. */
export class SubmissionProducer implements SubmissionQueue {
  private readonly queue: Queue;

  constructor(connection: Redis, prefix: string, private readonly retry: RetryPolicy) {
    this.queue = new Queue(jobCatalog.SubmissionProcess.queue, { connection, prefix });
    // Outages surface through /readyz and the callers' own errors; an unheard 'error' event would only add noise.
    this.queue.on('error', () => undefined);
  }

  async enqueue(submissionId: string): Promise<void> {
    const payload = jobCatalog.SubmissionProcess.payload.parse({ submissionId });
    await this.queue.add('SubmissionProcess', payload, {
      ...jobOptions(this.retry),
      jobId: jobCatalog.SubmissionProcess.jobId(payload),
    });
  }

  /** Jobs waiting or running; /readyz and the bench read it. */
  counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed');
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
