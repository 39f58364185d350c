import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { PurgeService } from '../src/domain/retention/purge.service.js';
import { jobCatalog, queueProcessor, type JobHandler } from '../src/queue/job-catalog.js';
import type { Logger } from '../src/shared/logger.js';
import { metrics } from '../src/shared/metrics.js';

/** Runs one retention job: an item's own purge, or the sweep over everything overdue. */
export function retentionJobProcessor(purge: PurgeService): JobHandler {
  return queueProcessor<unknown>(jobCatalog.StoredItemPurge.queue, {
    StoredItemPurge: (job: Job) => purge.purgeItem(jobCatalog.StoredItemPurge.payload.parse(job.data).itemId),
    RetentionSweep: async (job: Job) => {
      jobCatalog.RetentionSweep.payload.parse(job.data);
      const result = await purge.sweep();
      metrics.itemsOverdue.set(result.overdue);
      return result;
    },
  });
}

/** The retention worker: I/O only (no inference), so a few jobs may run at once. */
export function createRetentionWorker(opts: { connection: Redis; prefix: string; purge: PurgeService; logger: Logger }): Worker {
  const worker = new Worker(jobCatalog.StoredItemPurge.queue, retentionJobProcessor(opts.purge), {
    connection: opts.connection, prefix: opts.prefix, concurrency: 4,
  });
  worker.on('completed', (job, result) => {
    if (job.name === 'RetentionSweep') {
      const r = result as { purged: number; overdue: number };
      if (r.purged || r.overdue) opts.logger.info(r, 'retention sweep');
    }
  });
  worker.on('failed', (job, error) => opts.logger.warn({ jobId: job?.id, err: { message: error.message } }, 'retention job failed'));
  worker.on('error', (error) => opts.logger.error({ err: { message: error.message } }, 'retention worker error'));
  return worker;
}
