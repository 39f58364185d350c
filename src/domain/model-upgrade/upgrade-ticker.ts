import type { Clock } from '../../shared/clock.js';
import type { Database } from '../../storage/database/database.js';
import { ModelUpgradeRepository } from '../../storage/repositories/model-upgrade.repository.js';
import type { AuditService } from '../audit/audit.service.js';
import type { ModelUpgradeQueue } from './model-upgrade-ports.js';
import { completeIfDrained } from './upgrade-audit.js';
import type { UpgradeDispatcher } from './upgrade-dispatcher.js';

/**
 * The database backstop of a running batch (convention 4), run by a job scheduler and at worker
 * start: the fan-out enqueued again if unfinished (same jobId), subjects whose jobs Redis lost put
 * back, the batch closed if it is drained. Every part may run twice.
 */
export class UpgradeTicker {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly queue: ModelUpgradeQueue,
    private readonly dispatcher: UpgradeDispatcher,
  ) {}

  async tick(): Promise<{ batchId: string | null; requeued: number }> {
    const batch = await new ModelUpgradeRepository(this.db).findOpen();
    if (!batch || batch.state !== 'running') return { batchId: null, requeued: 0 };
    if (!batch.fanoutDoneAt) await this.queue.enqueueFanOut(batch.id);
    const requeued = await this.dispatcher.recover(batch.id);
    await this.dispatcher.dispatch(batch.id);
    await completeIfDrained(this.db, this.audit, this.clock, batch.id);
    return { batchId: batch.id, requeued };
  }
}
