import { describe, expect, it } from 'vitest';
import { RetentionScheduler } from '../../../../src/domain/retention/retention-scheduler.js';
import { retentionHarness, storedItem } from '../../../support/in-memory/retention.js';

// What is checked is which live timers of the ledger become delayed jobs in Redis.
const hours = (now: Date, h: number) => new Date(now.getTime() + h * 3600_000);

describe('retention timers as delayed jobs', () => {
  it('schedules only what is due within the horizon; the sweep purges the rest on time', async () => {
    const { uow, clock, items } = retentionHarness();
    const now = clock.now();
    for (const [id, h] of [['withdrawn-now', 0], ['frame-24h', 24], ['image-30d', 30 * 24], ['result-5y', 5 * 365 * 24]] as const) {
      await items.insert(storedItem({ id, deleteAt: hours(now, h) }));
    }
    await items.insert(storedItem({ id: 'template-until-withdrawn', itemClass: 'reference_template', deleteAt: null }));
    await items.insert(storedItem({ id: 'other-submission', submissionId: 'sub2', deleteAt: now }));
    const scheduled: [string, number][] = [];
    const queue = { schedule: async (id: string, delay: number) => { scheduled.push([id, delay]); } };
    await new RetentionScheduler({ uow, queue, clock, horizonMs: 48 * 3600_000 }).scheduleSubmission('sub1');
    expect(scheduled).toEqual([['withdrawn-now', 0], ['frame-24h', 24 * 3600_000]]);
  });

  it('reports a scheduling failure instead of failing the caller', async () => {
    const { uow, clock, items } = retentionHarness();
    await items.insert(storedItem({ id: 'x', deleteAt: clock.now() }));
    const errors: unknown[] = [];
    const queue = { schedule: async () => { throw new Error('redis down'); } };
    await new RetentionScheduler({ uow, queue, clock, onError: (e) => errors.push(e) }).scheduleSubject('s1');
    expect(errors).toHaveLength(1);
  });
});
