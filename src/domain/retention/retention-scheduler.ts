import type { Clock } from '../../shared/clock.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { LiveTimer, RetentionPorts } from './retention-ports.js';

/** Where purge timers go: BullMQ delayed jobs in production (src/queue). */
export interface PurgeQueue {
  /** Idempotent per item; a later call with an earlier time replaces the pending job. */
  schedule(itemId: string, delayMs: number): Promise<void>;
}

export interface RetentionSchedulerDeps {
  readonly uow: UnitOfWork<RetentionPorts>;
  readonly queue: PurgeQueue;
  readonly clock: Clock;
  /** A job that could not be scheduled: reported, never thrown (the sweep purges on time). */
  readonly onError?: (error: unknown) => void;
  /** Only timers due within this get a job (default 48 hours). */
  readonly horizonMs?: number;
}

/**
 * Turns the database's delete_at of items into delayed purge jobs. The jobs are a convenience for
 * punctuality; the sweep is the guarantee, so a failure to schedule is reported, never fatal.
 *
 * Only timers due within the horizon get a job: a job per item held for years would grow Redis with the volume of
 * checks (~1.5 kB each). Later ones are purged by the sweep, at most one sweep interval after their time.
 */
export class RetentionScheduler {
  constructor(private readonly deps: RetentionSchedulerDeps) {}

  async scheduleSubmission(submissionId: string): Promise<void> {
    await this.scheduleAll(await this.deps.uow.ports.items.liveTimers({ submissionId }));
  }

  async scheduleSubject(subjectId: string): Promise<void> {
    await this.scheduleAll(await this.deps.uow.ports.items.liveTimers({ subjectId }));
  }

  private async scheduleAll(timers: readonly LiveTimer[]): Promise<void> {
    const { queue, clock, horizonMs = 48 * 3600_000 } = this.deps;
    try {
      for (const t of timers) {
        const delay = clock.msUntil(t.deleteAt);
        if (delay <= horizonMs) await queue.schedule(t.id, delay);
      }
    } catch (error) {
      this.deps.onError?.(error);
    }
  }
}
