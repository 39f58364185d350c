import type { Clock } from '../../shared/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../audit/audit-entry.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { ModelUpgradeBatch } from './model-upgrade.js';
import type { ModelUpgradePorts } from './model-upgrade-ports.js';

/** The system actor of model upgrade jobs. */
export const MODEL_UPGRADE_SYSTEM: Actor = { type: 'system', id: 'model-upgrade', role: null };
export const BATCH_TARGET = 'model_upgrade_batch';

/** Counts of a batch as audit details: numbers and the model, nothing about anyone. */
export const batchDetails = (b: ModelUpgradeBatch) => ({
  model: b.target.model, version: b.target.version, queued: b.counts.queued, reExtracted: b.counts.reExtracted,
  markedForReenrolment: b.counts.markedForReenrolment, failed: b.counts.failed, skipped: b.counts.skipped,
});

/** What every model upgrade service takes: its repositories, the audit trail, the time. */
export interface UpgradeBaseDeps {
  readonly uow: UnitOfWork<ModelUpgradePorts>;
  readonly audit: AuditService;
  readonly clock: Clock;
}

/** Closes a batch whose fan-out is done and whose subjects are all decided (audited once: the state guard). */
export async function completeIfDrained(deps: UpgradeBaseDeps, batchId: string): Promise<boolean> {
  return deps.uow.transaction(async (ports) => {
    const done = await ports.modelUpgrades.completeIfDrained(batchId, deps.clock.now());
    if (!done) return false;
    await deps.audit.record({
      actor: MODEL_UPGRADE_SYSTEM, action: 'model-upgrade.completed', targetType: BATCH_TARGET, targetId: batchId, outcome: 'success',
      details: batchDetails(done),
    }, ports);
    return true;
  });
}
