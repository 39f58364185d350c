import { describe, expect, it } from 'vitest';
import { cronPattern, periodKey, periodStart } from '../../../../src/domain/campaigns/recurrence.js';
import { plannedSteps } from '../../../../src/domain/campaigns/campaign.js';

const at = (s: string) => new Date(s);

describe('periods of a recurring campaign', () => {
  it('finds the yearly period that contains a date, across the new year', () => {
    const anchor = { month: 11, day: 1 };
    expect(periodKey(periodStart(at('2026-11-01T00:00:00Z'), 'yearly', anchor))).toBe('2026-11-01');
    expect(periodKey(periodStart(at('2026-10-31T23:59:59Z'), 'yearly', anchor))).toBe('2025-11-01');
    expect(periodKey(periodStart(at('2027-02-10T00:00:00Z'), 'yearly', anchor))).toBe('2026-11-01');
  });

  it('finds quarterly and monthly periods', () => {
    expect(periodKey(periodStart(at('2026-01-20T00:00:00Z'), 'quarterly', { month: 2, day: 15 }))).toBe('2025-11-15');
    expect(periodKey(periodStart(at('2026-05-16T00:00:00Z'), 'quarterly', { month: 2, day: 15 }))).toBe('2026-05-15');
    expect(periodKey(periodStart(at('2026-03-01T00:00:00Z'), 'monthly', { month: 1, day: 5 }))).toBe('2026-02-05');
  });

  it('gives the cron pattern of the job scheduler', () => {
    expect(cronPattern('yearly', { month: 11, day: 1 })).toBe('0 0 1 11 *');
    expect(cronPattern('quarterly', { month: 2, day: 15 })).toBe('0 0 15 2,5,8,11 *');
    expect(cronPattern('monthly', { month: 1, day: 5 })).toBe('0 0 5 * *');
  });
});

describe('steps of a campaign', () => {
  it('invites at open, reminds before due, closes at due + grace', () => {
    const steps = plannedSteps({
      opensAt: at('2026-11-01T00:00:00Z'), dueAt: at('2026-11-30T18:00:00Z'), graceDays: 10,
      reminders: [{ hoursBeforeDue: 168 }, { hoursBeforeDue: 12 }],
    });
    expect(steps.map((s) => [s.step, s.dueAt.toISOString()])).toEqual([
      ['invite', '2026-11-01T00:00:00.000Z'],
      ['reminder-168h', '2026-11-23T18:00:00.000Z'],
      ['reminder-12h', '2026-11-30T06:00:00.000Z'],
      ['close', '2026-12-10T18:00:00.000Z'],
    ]);
  });
});
