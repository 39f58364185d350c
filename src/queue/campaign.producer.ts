import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { CampaignJobQueue, DeliveryQueue } from '../domain/campaigns/campaign-ports.js';
import { campaignJobDefaults, jobCatalog } from './job-catalog.js';

/** Puts campaign steps, ticks, template firings and webhook messages on their BullMQ queues. */
export class CampaignProducer implements CampaignJobQueue, DeliveryQueue {
  readonly campaigns: Queue;
  readonly webhooks: Queue;

  constructor(connection: Redis, prefix: string, private readonly retry: { attempts: number; backoffMs: number }) {
    this.campaigns = new Queue(jobCatalog.CampaignStepRun.queue, { connection, prefix });
    this.webhooks = new Queue(jobCatalog.WebhookDeliver.queue, { connection, prefix });
  }

  async enqueueStep(campaignId: string, step: string, delayMs: number): Promise<void> {
    const payload = jobCatalog.CampaignStepRun.payload.parse({ campaignId, step });
    const jobId = jobCatalog.CampaignStepRun.jobId(payload);
    const delay = Math.max(0, Math.round(delayMs));
    const existing = await this.campaigns.getJob(jobId);
    if (existing && (await existing.isDelayed())) {
      // The database's due time is the truth: a moved deadline (or a clock that jumped) re-times the pending job.
      await (delay === 0 ? existing.promote() : existing.changeDelay(delay)).catch(() => undefined);
      return;
    }
    await this.campaigns.add('CampaignStepRun', payload, {
      ...campaignJobDefaults, jobId, delay, attempts: 5, backoff: { type: 'exponential', delay: 5000 },
    });
  }

  async enqueueDeliveries(deliveryIds: readonly string[]): Promise<void> {
    if (!deliveryIds.length) return;
    await this.webhooks.addBulk(deliveryIds.map((deliveryId) => {
      const payload = jobCatalog.WebhookDeliver.payload.parse({ deliveryId });
      return {
        name: 'WebhookDeliver', data: payload,
        opts: {
          ...campaignJobDefaults, jobId: jobCatalog.WebhookDeliver.jobId(payload),
          attempts: this.retry.attempts, backoff: { type: 'exponential', delay: this.retry.backoffMs },
        },
      };
    }));
  }

  async backlog(): Promise<number> {
    const counts = await this.webhooks.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
    return Object.values(counts).reduce((a, b) => a + b, 0);
  }

  async scheduleTemplate(templateId: string, pattern: string): Promise<void> {
    const payload = jobCatalog.CampaignTemplateRun.payload.parse({ templateId });
    await this.campaigns.upsertJobScheduler(jobCatalog.CampaignTemplateRun.jobId(payload), { pattern, tz: 'UTC' }, {
      name: 'CampaignTemplateRun', data: payload, opts: { removeOnComplete: true, removeOnFail: { count: 100 } },
    });
  }

  async unscheduleTemplate(templateId: string): Promise<void> {
    await this.campaigns.removeJobScheduler(jobCatalog.CampaignTemplateRun.jobId({ templateId }));
  }

  /** Registers (or updates) the campaign tick; idempotent across processes and restarts. */
  async ensureTick(everyMs: number): Promise<void> {
    await this.campaigns.upsertJobScheduler(jobCatalog.CampaignTick.jobId(), { every: everyMs }, {
      name: 'CampaignTick', data: {}, opts: { removeOnComplete: true, removeOnFail: { count: 100 } },
    });
  }

  /** One tick now (a worker starting resumes stopped fan-outs at once rather than at the next interval). */
  async kickTick(): Promise<void> {
    await this.campaigns.add('CampaignTick', {}, { ...campaignJobDefaults, jobId: `${jobCatalog.CampaignTick.jobId()}-now` });
  }

  async close(): Promise<void> {
    await this.campaigns.close();
    await this.webhooks.close();
  }
}
