import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ReExtractResult, TemplateReExtractor } from '../src/domain/model-upgrade/template-re-extractor.js';
import type { FanOutOutcome, FanOutProgress, UpgradeFanOutRunner } from '../src/domain/model-upgrade/upgrade-fanout.runner.js';
import type { UpgradeDispatcher } from '../src/domain/model-upgrade/upgrade-dispatcher.js';
import type { UpgradeTicker } from '../src/domain/model-upgrade/upgrade-ticker.js';
import { jobCatalog, queueProcessor } from '../src/queue/job-catalog.js';
import type { Logger } from '../src/shared/logger.js';

export interface ModelUpgradeWorkerOptions {
  readonly connection: Redis;
  readonly prefix: string;
  readonly fanOut: UpgradeFanOutRunner;
  readonly reExtractor: TemplateReExtractor;
  readonly ticker: UpgradeTicker;
  /** Feeds the next pending subjects to Redis each time a subject job leaves the queue. */
  readonly dispatcher: UpgradeDispatcher;
  readonly lockMs: number;
  /** Subject jobs at once in this process (inference: 1). */
  readonly concurrency: number;
  readonly logger: Logger;
  /** Called after each committed fan-out page. */
  readonly onFanOutPage?: (progress: FanOutProgress) => Promise<void> | void;
  /** Called after a subject job, before it completes (tests use it to stop a worker mid batch). */
  readonly onSubject?: (batchId: string, subjectId: string, result: ReExtractResult) => Promise<void> | void;
}

/** Runs a batch's fan-out; stops at a page boundary when the worker is shutting down (the tick resumes it). */
export async function handleRunModelUpgradeFanOut(runner: UpgradeFanOutRunner, job: Job, stopping: () => boolean, onPage?: ModelUpgradeWorkerOptions['onFanOutPage']): Promise<FanOutOutcome> {
  const { batchId } = jobCatalog.ModelUpgradeFanOut.payload.parse(job.data);
  return runner.run(batchId, {
    shouldStop: stopping,
    onPage: async (p) => {
      await job.updateProgress({ queued: p.queued });
      await onPage?.(p);
    },
  });
}

/** Re-extracts one subject's references; the subject's row, not the job, says whether it is still to do. */
export async function handleReExtractTemplates(reExtractor: TemplateReExtractor, job: Job, onSubject?: ModelUpgradeWorkerOptions['onSubject']): Promise<ReExtractResult> {
  const { batchId, subjectId } = jobCatalog.ModelUpgradeSubject.payload.parse(job.data);
  const result = await reExtractor.reExtract(batchId, subjectId);
  await onSubject?.(batchId, subjectId, result);
  return result;
}

/**
 * Two workers: control (fan-out and tick: I/O, a few at once) and subjects (inference, `concurrency`
 * at once, so BullMQ's lock renewal is never starved). Both hand back at a boundary on close.
 */
export function createModelUpgradeWorkers(opts: ModelUpgradeWorkerOptions) {
  let stopping = false;
  const { logger } = opts;
  const shared = { connection: opts.connection, prefix: opts.prefix, lockDuration: opts.lockMs, stalledInterval: Math.max(1000, Math.floor(opts.lockMs / 2)) };
  const controlQueue = jobCatalog.ModelUpgradeFanOut.queue;
  const control = new Worker(controlQueue, queueProcessor<unknown>(controlQueue, {
    ModelUpgradeFanOut: (job) => handleRunModelUpgradeFanOut(opts.fanOut, job, () => stopping, opts.onFanOutPage),
    ModelUpgradeTick: (job) => {
      jobCatalog.ModelUpgradeTick.payload.parse(job.data);
      return opts.ticker.tick();
    },
  }), { ...shared, concurrency: 2, maxStalledCount: 3 });
  const subjectQueue = jobCatalog.ModelUpgradeSubject.queue;
  const subjects = new Worker(subjectQueue, queueProcessor(subjectQueue, {
    ModelUpgradeSubject: (job) => handleReExtractTemplates(opts.reExtractor, job, opts.onSubject),
  }), { ...shared, concurrency: opts.concurrency, maxStalledCount: 2 });

  control.on('completed', (job, result) => {
    if (job.name === 'ModelUpgradeFanOut') logger.info({ jobId: job.id, outcome: result }, 'model upgrade fan-out');
  });
  const feed = (job: Job) => {
    const parsed = jobCatalog.ModelUpgradeSubject.payload.safeParse(job.data);
    if (parsed.success) opts.dispatcher.dispatch(parsed.data.batchId).catch((e: unknown) =>
      logger.warn({ err: { message: (e as Error).message } }, 'could not enqueue further subjects; the tick will'));
  };
  subjects.on('completed', feed);
  subjects.on('failed', (job, error) => {
    if (!job) return;
    feed(job);
    const exhausted = job.attemptsMade >= (job.opts.attempts ?? 1);
    logger.warn({ jobId: job.id, attempts: job.attemptsMade, exhausted, err: { message: error.message } }, 'model upgrade subject job failed');
    const parsed = jobCatalog.ModelUpgradeSubject.payload.safeParse(job.data);
    if (exhausted && parsed.success) {
      opts.reExtractor.failPermanently(parsed.data.batchId, parsed.data.subjectId, 'PROCESSING_ERROR').catch((e: unknown) =>
        logger.error({ jobId: job.id, err: { message: (e as Error).message } }, 'could not record the subject as failed; the tick will retry it'));
    }
  });
  control.on('failed', (job, error) => logger.warn({ jobId: job?.id, err: { message: error.message } }, 'model upgrade job failed'));
  for (const w of [control, subjects]) w.on('error', (error) => logger.error({ err: { message: error.message } }, 'model upgrade worker error'));
  return {
    control,
    subjects,
    /** Abrupt stop for tests: no graceful hand-back, locks simply expire. */
    async kill() {
      await Promise.all([control.close(true), subjects.close(true)]);
    },
    async close() {
      stopping = true;
      await control.close();
      await subjects.close();
    },
  };
}
