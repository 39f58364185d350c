import type { Clock } from '../../shared/clock.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { CampaignPorts, DeliveryQueue } from './campaign-ports.js';

const STALE_AFTER_MS = 60 * 60_000;
/**
 * With no delivery job left in Redis, a message still marked enqueued this long ago has lost its job (Redis restarted
 * without its data, or was flushed): it goes back to the outbox at once rather than after STALE_AFTER_MS. The grace
 * covers a message marked just after its job finished in another process.
 */
const LOST_AFTER_MS = 2 * 60_000;

export interface DeliveryDispatcherDeps {
  readonly uow: UnitOfWork<CampaignPorts>;
  readonly queue: DeliveryQueue;
  readonly clock: Clock;
  readonly settings: { readonly maxQueuedDeliveries: number; readonly pageSize: number };
}

/**
 * Moves messages from the database outbox into Redis, never more than `maxQueued` at a time, so a
 * cohort of a million does not become a million jobs in Redis at once. A message whose job was lost is
 * dispatched again under the same jobId, and its row decides whether anything is sent.
 */
export class DeliveryDispatcher {
  constructor(private readonly deps: DeliveryDispatcherDeps) {}

  /** Enqueues fresh messages at once when there is room; otherwise they wait in the outbox. */
  async dispatch(ids: readonly string[]): Promise<number> {
    if (!ids.length) return 0;
    if ((await this.deps.queue.backlog()) + ids.length > this.deps.settings.maxQueuedDeliveries) return 0;
    await this.enqueue(ids);
    return ids.length;
  }

  /** Fills the queue up to its limit from the outbox, oldest first. */
  async drain(): Promise<number> {
    const { queue, settings, uow } = this.deps;
    let moved = 0;
    for (;;) {
      const room = settings.maxQueuedDeliveries - (await queue.backlog());
      if (room <= 0) break;
      const ids = await uow.ports.deliveries.undispatched(Math.min(room, settings.pageSize));
      if (!ids.length) break;
      await this.enqueue(ids);
      moved += ids.length;
    }
    return moved;
  }

  /**
   * Messages enqueued long ago and still pending go back to the outbox (Redis may have lost them); when Redis holds
   * no delivery job at all, every pending message enqueued more than a short grace ago has certainly lost its job.
   */
  async releaseStale(): Promise<number> {
    const { queue, clock, settings, uow } = this.deps;
    const age = (await queue.backlog()) === 0 ? LOST_AFTER_MS : STALE_AFTER_MS;
    return uow.ports.deliveries.releaseStale(new Date(clock.now().getTime() - age), settings.pageSize);
  }

  private async enqueue(ids: readonly string[]): Promise<void> {
    await this.deps.queue.enqueueDeliveries(ids);
    await this.deps.uow.ports.deliveries.markEnqueued(ids, this.deps.clock.now());
  }
}
