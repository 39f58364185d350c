import type { Clock } from '../../shared/clock.js';
import type { Database } from '../../storage/database/database.js';
import { ModelUpgradeRepository } from '../../storage/repositories/model-upgrade.repository.js';
import type { ModelUpgradeQueue } from './model-upgrade-ports.js';

/**
 * Feeds pending subjects from PostgreSQL to Redis, never more than `maxQueued` jobs at once: a batch
 * over a million subjects is a million rows, not a million Redis jobs. The jobs are enqueued first and
 * the rows marked after, so a crash in between only enqueues again (same jobId, or a job that finds
 * the subject done).
 */
export class UpgradeDispatcher {
  constructor(
    private readonly db: Database,
    private readonly queue: ModelUpgradeQueue,
    private readonly clock: Clock,
    private readonly settings: { readonly maxQueued: number },
  ) {}

  /** Enqueues as many pending subjects as there is room for; returns how many. */
  async dispatch(batchId: string): Promise<number> {
    const repo = new ModelUpgradeRepository(this.db);
    const room = this.settings.maxQueued - (await this.queue.backlog());
    if (room <= 0) return 0;
    const ids = await repo.undispatched(batchId, room);
    if (!ids.length) return 0;
    await this.queue.enqueueSubjects(batchId, ids);
    await repo.markEnqueued(batchId, ids, this.clock.now());
    return ids.length;
  }

  /**
   * The backstop for jobs Redis lost (or left unrecorded while the batch was paused): with no subject
   * job left in the queue, every subject still pending goes back to the outbox and is enqueued again.
   */
  async recover(batchId: string): Promise<number> {
    if ((await this.queue.backlog()) > 0) return 0;
    const reset = await new ModelUpgradeRepository(this.db).resetEnqueued(batchId);
    await this.dispatch(batchId);
    return reset;
  }
}
