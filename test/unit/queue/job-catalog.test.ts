import type { Job } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { jobCatalog, jobsOn, QUEUES, queueProcessor } from '../../../src/queue/job-catalog.js';

const job = (name: string) => ({ name, data: {} }) as Job;

describe('one job catalog, and a handler for every job a role consumes', () => {
  it('routes every job to one of the known queues', () => {
    const queues = Object.values(QUEUES) as string[];
    for (const entry of Object.values(jobCatalog)) expect(queues).toContain(entry.queue);
    expect(jobsOn(QUEUES.campaigns)).toEqual(['CampaignStepRun', 'CampaignTick', 'CampaignTemplateRun']);
    expect(jobsOn(QUEUES.retention)).toEqual(['StoredItemPurge', 'RetentionSweep']);
  });

  it('refuses to start a queue whose jobs lack a handler, naming the missing one', () => {
    expect(() => queueProcessor(QUEUES.retention, { StoredItemPurge: async () => 'purged' }))
      .toThrow('Queue "retention" has no handler for job "RetentionSweep"');
    expect(() => queueProcessor(QUEUES.upgradeControl, {})).toThrow('"ModelUpgradeFanOut", "ModelUpgradeTick"');
  });

  it('refuses a handler for a job that travels on another queue', () => {
    expect(() => queueProcessor(QUEUES.webhooks, { WebhookDeliver: async () => 1, CampaignTick: async () => 2 }))
      .toThrow('"CampaignTick"');
  });

  it('dispatches by job name once complete, and rejects a job name nobody produces', async () => {
    const run = queueProcessor<string>(QUEUES.retention, {
      StoredItemPurge: async () => 'purged',
      RetentionSweep: async () => 'swept',
    });
    await expect(run(job('RetentionSweep'))).resolves.toBe('swept');
    await expect(run(job('StoredItemPurge'))).resolves.toBe('purged');
    await expect(run(job('Unknown'))).rejects.toThrow('No handler for job "Unknown"');
  });
});
