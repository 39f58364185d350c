import type { Clock } from '../../shared/clock.js';
import type { Database } from '../../storage/database/database.js';
import { createRepositories } from '../../storage/repositories/index.js';

/** Where purge timers go: BullMQ delayed jobs in production (src/queue). */
export interface PurgeQueue {
  /** Idempotent per item; a later call with an earlier time replaces the pending job. */
  schedule(itemId: string, delayMs: number): Promise<void>;
}

/**
 * Turns the database's delete_at of items into delayed purge jobs. The jobs are a convenience for
 * punctuality; the sweep is the guarantee, so a failure to schedule is reported, never fatal.
 *
 * Only timers due within `horizonMs` get a job: a job per item held for years would grow Redis with the volume of
 * checks (~1.5 kB each). Later ones are purged by the sweep, at most one sweep interval after their time.
 */
export class RetentionScheduler {
  constructor(
    private readonly db: Database,
    private readonly queue: PurgeQueue,
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void = () => undefined,
    private readonly horizonMs = 48 * 3600_000,
  ) {}

  async scheduleSubmission(submissionId: string): Promise<void> {
    await this.scheduleAll(await createRepositories(this.db).items.liveTimers({ submissionId }));
  }

  async scheduleSubject(subjectId: string): Promise<void> {
    await this.scheduleAll(await createRepositories(this.db).items.liveTimers({ subjectId }));
  }

  private async scheduleAll(timers: readonly { id: string; deleteAt: Date }[]): Promise<void> {
    try {
      for (const t of timers) {
        const delay = this.clock.msUntil(t.deleteAt);
        if (delay <= this.horizonMs) await this.queue.schedule(t.id, delay);
      }
    } catch (error) {
      this.onError(error);
    }
  }
}
