import { describe, expect, it } from 'vitest';
import { RetentionScheduler } from '../../../src/domain/retention/retention-scheduler.js';
import type { Database } from '../../../src/storage/database/database.js';
import { MutableClock } from '../../support/mutable-clock.js';

// The live timers come from the stored_items ledger (a one-query stand-in here); what is checked is which of them
// become delayed jobs in Redis.
const now = new Date('2026-11-21T12:00:00Z');
const hours = (h: number) => new Date(now.getTime() + h * 3600_000);
const ledger = (rows: { id: string; delete_at: Date }[]) => ({ query: async () => rows }) as unknown as Database;

describe('retention timers as delayed jobs', () => {
  it('schedules only what is due within the horizon; the sweep purges the rest on time', async () => {
    const scheduled: [string, number][] = [];
    const queue = { schedule: async (id: string, delay: number) => { scheduled.push([id, delay]); } };
    const db = ledger([
      { id: 'withdrawn-now', delete_at: now }, { id: 'frame-24h', delete_at: hours(24) },
      { id: 'image-30d', delete_at: hours(30 * 24) }, { id: 'result-5y', delete_at: hours(5 * 365 * 24) },
    ]);
    await new RetentionScheduler(db, queue, new MutableClock(now), undefined, 48 * 3600_000).scheduleSubmission('s');
    expect(scheduled).toEqual([['withdrawn-now', 0], ['frame-24h', 24 * 3600_000]]);
  });

  it('reports a scheduling failure instead of failing the caller', async () => {
    const errors: unknown[] = [];
    const queue = { schedule: async () => { throw new Error('redis down'); } };
    await new RetentionScheduler(ledger([{ id: 'x', delete_at: now }]), queue, new MutableClock(now), (e) => errors.push(e)).scheduleSubject('s');
    expect(errors).toHaveLength(1);
  });
});
