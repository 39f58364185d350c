import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { PurgeQueue } from '../domain/retention/retention-scheduler.js';
import { jobCatalog } from './job-catalog.js';

/** Delayed purge jobs, one per stored item (jobId purge-<item id>), and the sweep's job scheduler. */
export class RetentionProducer implements PurgeQueue {
  readonly queue: Queue;

  constructor(connection: Redis, prefix: string) {
    this.queue = new Queue(jobCatalog.StoredItemPurge.queue, { connection, prefix });
    // Outages surface through /readyz and the callers' own errors; an unheard 'error' event would only add noise.
    this.queue.on('error', () => undefined);
  }

  async schedule(itemId: string, delayMs: number): Promise<void> {
    const payload = jobCatalog.StoredItemPurge.payload.parse({ itemId });
    const jobId = jobCatalog.StoredItemPurge.jobId(payload);
    const existing = await this.queue.getJob(jobId);
    if (existing) {
      // Same or later time: the pending job already covers it. Earlier: replace it.
      const due = existing.timestamp + (existing.opts.delay ?? 0);
      if (due <= Date.now() + delayMs + 1000) return;
      await existing.remove().catch(() => undefined);
    }
    await this.queue.add('StoredItemPurge', payload, {
      jobId, delay: Math.max(0, Math.round(delayMs)), attempts: 5, backoff: { type: 'exponential', delay: 5000 },
      removeOnComplete: true, removeOnFail: { age: 7 * 24 * 3600 },
    });
  }

  /** Registers (or updates) the periodic sweep; idempotent across processes and restarts. */
  async ensureSweep(everyMs: number): Promise<void> {
    await this.queue.upsertJobScheduler('retention-sweep', { every: everyMs }, {
      name: 'RetentionSweep', data: {}, opts: { removeOnComplete: true, removeOnFail: { count: 100 } },
    });
  }

  close(): Promise<void> {
    return this.queue.close();
  }
}
