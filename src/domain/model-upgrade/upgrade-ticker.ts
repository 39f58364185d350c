import type { ModelUpgradeQueue } from './model-upgrade-ports.js';
import { completeIfDrained, type UpgradeBaseDeps } from './upgrade-audit.js';
import type { UpgradeDispatcher } from './upgrade-dispatcher.js';

export interface UpgradeTickerDeps extends UpgradeBaseDeps {
  readonly queue: ModelUpgradeQueue;
  readonly dispatcher: UpgradeDispatcher;
}

/**
 * The database backstop of a running batch (convention 4), run by a job scheduler and at worker
 * start: the fan-out enqueued again if unfinished (same jobId), subjects whose jobs Redis lost put
 * back, the batch closed if it is drained. Every part may run twice.
 */
export class UpgradeTicker {
  constructor(private readonly deps: UpgradeTickerDeps) {}

  async tick(): Promise<{ batchId: string | null; requeued: number }> {
    const { uow, queue, dispatcher } = this.deps;
    const batch = await uow.ports.modelUpgrades.findOpen();
    if (!batch || batch.state !== 'running') return { batchId: null, requeued: 0 };
    if (!batch.fanoutDoneAt) await queue.enqueueFanOut(batch.id);
    const requeued = await dispatcher.recover(batch.id);
    await dispatcher.dispatch(batch.id);
    await completeIfDrained(this.deps, batch.id);
    return { batchId: batch.id, requeued };
  }
}
