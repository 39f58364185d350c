import type { Clock } from '../../shared/clock.js';
import { createRepositories } from '../../storage/repositories/index.js';
import type { Database } from '../../storage/database/database.js';
import { ModelUpgradeRepository } from '../../storage/repositories/model-upgrade.repository.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../audit/audit-entry.js';
import type { ModelUpgradeBatch } from './model-upgrade.js';

/** The system actor of model upgrade jobs. */
export const MODEL_UPGRADE_SYSTEM: Actor = { type: 'system', id: 'model-upgrade', role: null };
export const BATCH_TARGET = 'model_upgrade_batch';

/** Counts of a batch as audit details: numbers and the model, nothing about anyone. */
export const batchDetails = (b: ModelUpgradeBatch) => ({
  model: b.target.model, version: b.target.version, queued: b.counts.queued, reExtracted: b.counts.reExtracted,
  markedForReenrolment: b.counts.markedForReenrolment, failed: b.counts.failed, skipped: b.counts.skipped,
});

/** Closes a batch whose fan-out is done and whose subjects are all decided (audited once: the state guard). */
export async function completeIfDrained(db: Database, audit: AuditService, clock: Clock, batchId: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const done = await new ModelUpgradeRepository(tx).completeIfDrained(batchId, clock.now());
    if (!done) return false;
    await audit.record({
      actor: MODEL_UPGRADE_SYSTEM, action: 'model-upgrade.completed', targetType: BATCH_TARGET, targetId: batchId, outcome: 'success',
      details: batchDetails(done),
    }, createRepositories(tx));
    return true;
  });
}
