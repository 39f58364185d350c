import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CampaignStepRunner, StepOutcome, StepProgress } from '../src/domain/campaigns/campaign-step.runner.js';
import type { CampaignTemplateService } from '../src/domain/campaigns/campaign-template.service.js';
import type { CampaignTicker } from '../src/domain/campaigns/campaign-ticker.js';
import { jobCatalog, queueProcessor } from '../src/queue/job-catalog.js';
import type { Logger } from '../src/shared/logger.js';

export interface CampaignWorkerOptions {
  readonly connection: Redis;
  readonly prefix: string;
  readonly runner: CampaignStepRunner;
  readonly ticker: CampaignTicker;
  readonly templates: CampaignTemplateService;
  readonly lockMs: number;
  readonly logger: Logger;
  /** Called after each committed fan-out page (tests use it to stop a worker mid fan-out). */
  readonly onStepPage?: (progress: StepProgress) => Promise<void> | void;
}

/** Runs one step; stops at a page boundary when the worker is shutting down (the tick resumes it). */
export async function handleRunCampaignStep(runner: CampaignStepRunner, job: Job, stopping: () => boolean, onStepPage?: CampaignWorkerOptions['onStepPage']): Promise<StepOutcome> {
  const { campaignId, step } = jobCatalog.CampaignStepRun.payload.parse(job.data);
  return runner.run(campaignId, step, {
    shouldStop: stopping,
    onPage: async (p) => {
      await job.updateProgress({ processed: p.processed, affected: p.affected });
      await onStepPage?.(p);
    },
  });
}

/**
 * The campaign control worker: fan-out steps, the tick and template firings. I/O only; a few jobs at
 * once, so a fan-out over a million subjects does not hold up the tick.
 */
export function createCampaignWorker(opts: CampaignWorkerOptions): { worker: Worker; close(): Promise<void> } {
  let stopping = false;
  const queue = jobCatalog.CampaignStepRun.queue;
  const worker = new Worker(queue, queueProcessor<unknown>(queue, {
    CampaignStepRun: (job) => handleRunCampaignStep(opts.runner, job, () => stopping, opts.onStepPage),
    CampaignTick: (job) => {
      jobCatalog.CampaignTick.payload.parse(job.data);
      return opts.ticker.tick();
    },
    CampaignTemplateRun: (job) => opts.templates.ensureCurrent(jobCatalog.CampaignTemplateRun.payload.parse(job.data).templateId),
  }), {
    connection: opts.connection, prefix: opts.prefix, concurrency: 4,
    lockDuration: opts.lockMs, stalledInterval: Math.max(1000, Math.floor(opts.lockMs / 2)), maxStalledCount: 3,
  });
  worker.on('completed', (job, result) => {
    if (job.name === 'CampaignStepRun') opts.logger.info({ jobId: job.id, outcome: result }, 'campaign step');
    else if (job.name === 'CampaignTemplateRun') opts.logger.info({ jobId: job.id, ...(result as object) }, 'campaign template');
  });
  worker.on('failed', (job, error) => opts.logger.warn({ jobId: job?.id, err: { message: error.message } }, 'campaign job failed'));
  worker.on('error', (error) => opts.logger.error({ err: { message: error.message } }, 'campaign worker error'));
  return {
    worker,
    async close() {
      stopping = true;
      await worker.close();
    },
  };
}
