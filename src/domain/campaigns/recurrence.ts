/** How often a template opens a new campaign. Periods start at 00:00 UTC on the anchor day. */
export type Recurrence = 'yearly' | 'quarterly' | 'monthly';

export interface Anchor {
  /** 1-12: the month of the yearly period, or the first of the four quarterly ones; ignored for monthly. */
  readonly month: number;
  /** 1-28, so that every month has the day. */
  readonly day: number;
}

function months(recurrence: Recurrence, anchor: Anchor): number[] {
  if (recurrence === 'monthly') return [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
  if (recurrence === 'quarterly') return [0, 3, 6, 9].map((k) => ((anchor.month - 1 + k) % 12) + 1).sort((a, b) => a - b);
  return [anchor.month];
}

/** The start of the period that contains `now`: the latest anchor date at or before it. */
export function periodStart(now: Date, recurrence: Recurrence, anchor: Anchor): Date {
  let best: Date | null = null;
  for (const year of [now.getUTCFullYear(), now.getUTCFullYear() - 1]) {
    for (const month of months(recurrence, anchor)) {
      const start = new Date(Date.UTC(year, month - 1, anchor.day));
      if (start.getTime() <= now.getTime() && (!best || start > best)) best = start;
    }
  }
  return best!;
}

/** A period's key, unique per template: the date it starts (e.g. 2026-11-01). */
export const periodKey = (start: Date) => start.toISOString().slice(0, 10);

/** The cron pattern (minute hour day month weekday, UTC) at which a template's periods start. */
export function cronPattern(recurrence: Recurrence, anchor: Anchor): string {
  const m = months(recurrence, anchor);
  return `0 0 ${anchor.day} ${recurrence === 'monthly' ? '*' : m.join(',')} *`;
}
