import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ModelUpgradeQueue } from '../domain/model-upgrade/model-upgrade-ports.js';
import { jobCatalog } from './job-catalog.js';

/** Records hold ids only and the database is the record: nothing is kept once a job is over. */
const DEFAULTS: JobsOptions = { removeOnComplete: true, removeOnFail: true, attempts: 5, backoff: { type: 'exponential', delay: 5000 } };

/** Puts model upgrade fan-outs, ticks and subject jobs on their BullMQ queues. */
export class ModelUpgradeProducer implements ModelUpgradeQueue {
  readonly control: Queue;
  readonly subjects: Queue;

  constructor(connection: Redis, prefix: string) {
    this.control = new Queue(jobCatalog.ModelUpgradeFanOut.queue, { connection, prefix });
    this.subjects = new Queue(jobCatalog.ModelUpgradeSubject.queue, { connection, prefix });
    // Outages surface through /readyz and the callers' own errors.
    this.control.on('error', () => undefined);
    this.subjects.on('error', () => undefined);
  }

  async enqueueFanOut(batchId: string): Promise<void> {
    const payload = jobCatalog.ModelUpgradeFanOut.payload.parse({ batchId });
    await this.control.add('ModelUpgradeFanOut', payload, { ...DEFAULTS, jobId: jobCatalog.ModelUpgradeFanOut.jobId(payload) });
  }

  async enqueueSubjects(batchId: string, subjectIds: readonly string[]): Promise<void> {
    if (!subjectIds.length) return;
    await this.subjects.addBulk(subjectIds.map((subjectId) => {
      const payload = jobCatalog.ModelUpgradeSubject.payload.parse({ batchId, subjectId });
      return { name: 'ModelUpgradeSubject', data: payload, opts: { ...DEFAULTS, jobId: jobCatalog.ModelUpgradeSubject.jobId(payload) } };
    }));
  }

  async backlog(): Promise<number> {
    const counts = await this.subjects.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  /** Registers (or updates) the backstop tick; idempotent across processes and restarts. */
  async ensureTick(everyMs: number): Promise<void> {
    await this.control.upsertJobScheduler(jobCatalog.ModelUpgradeTick.jobId(), { every: everyMs }, {
      name: 'ModelUpgradeTick', data: {}, opts: { removeOnComplete: true, removeOnFail: { count: 100 } },
    });
  }

  /** One tick now: a worker starting picks up a stopped batch at once rather than at the next interval. */
  async kickTick(): Promise<void> {
    await this.control.add('ModelUpgradeTick', {}, { removeOnComplete: true, removeOnFail: true, jobId: `${jobCatalog.ModelUpgradeTick.jobId()}-now` });
  }

  async close(): Promise<void> {
    await this.control.close();
    await this.subjects.close();
  }
}
