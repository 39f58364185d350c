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
 */
export class RetentionScheduler {
  constructor(
    private readonly db: Database,
    private readonly queue: PurgeQueue,
    private readonly clock: Clock,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  async scheduleSubmission(submissionId: string): Promise<void> {
    await this.scheduleAll(await createRepositories(this.db).items.liveTimers({ submissionId }));
  }

  async scheduleSubject(subjectId: string): Promise<void> {
    await this.scheduleAll(await createRepositories(this.db).items.liveTimers({ subjectId }));
  }

  private async scheduleAll(timers: readonly { id: string; deleteAt: Date }[]): Promise<void> {
    try {
      for (const t of timers) await this.queue.schedule(t.id, this.clock.msUntil(t.deleteAt));
    } catch (error) {
      this.onError(error);
    }
  }
}
