import type { Clock } from '../../src/shared/clock.js';

/** A clock the test moves by hand: retention rules checked at exact instants. */
export class MutableClock implements Clock {
  constructor(private current = new Date()) {}

  now(): Date {
    return new Date(this.current);
  }

  msUntil(date: Date): number {
    return Math.max(0, date.getTime() - this.current.getTime());
  }

  set(date: Date): void {
    this.current = new Date(date);
  }

  advanceDays(days: number): void {
    this.current = new Date(this.current.getTime() + days * 86_400_000);
  }
}
