/** Time source, injected so that retention rules can be tested against a controlled clock. */
export interface Clock {
  now(): Date;
  /** Real milliseconds to wait until `date` on this clock (a compressed clock waits less). */
  msUntil(date: Date): number;
}

export const systemClock: Clock = {
  now: () => new Date(),
  msUntil: (date) => Math.max(0, date.getTime() - Date.now()),
};

/**
 * A clock that runs `factor` times faster than real time from `start` (soak tests compress days of
 * retention into minutes). Time never runs backwards.
 */
export function scaledClock(start: Date, factor: number): Clock {
  const realStart = Date.now();
  const now = () => new Date(start.getTime() + (Date.now() - realStart) * factor);
  return { now, msUntil: (date) => Math.max(0, (date.getTime() - now().getTime()) / factor) };
}

export const DAY_MS = 24 * 60 * 60 * 1000;
export const HOUR_MS = 60 * 60 * 1000;

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}
