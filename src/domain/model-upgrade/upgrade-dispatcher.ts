import type { Clock } from '../../shared/clock.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { ModelUpgradePorts, ModelUpgradeQueue } from './model-upgrade-ports.js';

export interface UpgradeDispatcherDeps {
  readonly uow: UnitOfWork<ModelUpgradePorts>;
  readonly queue: ModelUpgradeQueue;
  readonly clock: Clock;
  readonly settings: { readonly maxQueued: number };
}

/**
 * Feeds pending subjects from PostgreSQL to Redis, never more than `maxQueued` jobs at once: a batch
 * over a million subjects is a million rows, not a million Redis jobs. The jobs are enqueued first and
 * the rows marked after, so a crash in between only enqueues again (same jobId, or a job that finds
 * the subject done).
 */
export class UpgradeDispatcher {
  constructor(private readonly deps: UpgradeDispatcherDeps) {}

  /** Enqueues as many pending subjects as there is room for; returns how many. */
  async dispatch(batchId: string): Promise<number> {
    const { uow, queue, clock, settings } = this.deps;
    const room = settings.maxQueued - (await queue.backlog());
    if (room <= 0) return 0;
    const ids = await uow.ports.modelUpgrades.undispatched(batchId, room);
    if (!ids.length) return 0;
    await queue.enqueueSubjects(batchId, ids);
    await uow.ports.modelUpgrades.markEnqueued(batchId, ids, clock.now());
    return ids.length;
  }

  /**
   * The backstop for jobs Redis lost (or left unrecorded while the batch was paused): with no subject
   * job left in the queue, every subject still pending goes back to the outbox and is enqueued again.
   */
  async recover(batchId: string): Promise<number> {
    if ((await this.deps.queue.backlog()) > 0) return 0;
    const reset = await this.deps.uow.ports.modelUpgrades.resetEnqueued(batchId);
    await this.dispatch(batchId);
    return reset;
  }
}
