import type { Clock } from '../../shared/clock.js';
import type { Database } from '../../storage/database/database.js';
import { campaignRepositories } from '../../storage/repositories/campaign.repository.js';
import type { DeliveryQueue } from './campaign-ports.js';

const STALE_AFTER_MS = 60 * 60_000;
/**
 * With no delivery job left in Redis, a message still marked enqueued this long ago has lost its job (Redis restarted
 * without its data, or was flushed): it goes back to the outbox at once rather than after STALE_AFTER_MS. The grace
 * covers a message marked just after its job finished in another process.
 */
const LOST_AFTER_MS = 2 * 60_000;

/**
 * Moves messages from the database outbox into Redis, never more than `maxQueued` at a time, so a
 * cohort of a million does not become a million jobs in Redis at once. A message whose job was lost is
 * dispatched again under the same jobId, and its row decides whether anything is sent.
 */
export class DeliveryDispatcher {
  constructor(
    private readonly db: Database,
    private readonly queue: DeliveryQueue,
    private readonly clock: Clock,
    private readonly settings: { readonly maxQueuedDeliveries: number; readonly pageSize: number },
  ) {}

  /** Enqueues fresh messages at once when there is room; otherwise they wait in the outbox. */
  async dispatch(ids: readonly string[]): Promise<number> {
    if (!ids.length) return 0;
    if ((await this.queue.backlog()) + ids.length > this.settings.maxQueuedDeliveries) return 0;
    await this.enqueue(ids);
    return ids.length;
  }

  /** Fills the queue up to its limit from the outbox, oldest first. */
  async drain(): Promise<number> {
    const repos = campaignRepositories(this.db);
    let moved = 0;
    for (;;) {
      const room = this.settings.maxQueuedDeliveries - (await this.queue.backlog());
      if (room <= 0) break;
      const ids = await repos.deliveries.undispatched(Math.min(room, this.settings.pageSize));
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
    const age = (await this.queue.backlog()) === 0 ? LOST_AFTER_MS : STALE_AFTER_MS;
    return campaignRepositories(this.db).deliveries.releaseStale(new Date(this.clock.now().getTime() - age), this.settings.pageSize);
  }

  private async enqueue(ids: readonly string[]): Promise<void> {
    await this.queue.enqueueDeliveries(ids);
    await campaignRepositories(this.db).deliveries.markEnqueued(ids, this.clock.now());
  }
}
