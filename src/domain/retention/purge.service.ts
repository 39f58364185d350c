import type { Clock } from '../../shared/clock.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../audit/audit-entry.js';
import type { BiometricVault } from '../subjects/biometric-vault.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { RetentionPorts } from './retention-ports.js';
import type { ItemClass } from './stored-item.js';

export type PurgeOutcome = 'purged' | 'already-deleted' | 'not-due' | 'held' | 'missing';

const RETENTION_ACTOR: Actor = { type: 'system', id: 'retention', role: null };
const SWEEP_PAGE = 200;

export interface PurgeServiceDeps {
  readonly uow: UnitOfWork<RetentionPorts>;
  readonly vault: Pick<BiometricVault, 'deleteImage'>;
  readonly audit: AuditService;
  readonly clock: Clock;
  /** Counts each purge (metrics). */
  readonly onPurged?: (itemClass: ItemClass) => void;
}

/**
 * Deletes stored items whose time has come. The database row's delete_at is the truth: a delayed job
 * and the periodic sweep both end here, and running either twice is harmless.
 */
export class PurgeService {
  constructor(private readonly deps: PurgeServiceDeps) {}

  async purgeItem(itemId: string): Promise<PurgeOutcome> {
    const { uow, vault, audit, clock } = this.deps;
    const peek = await uow.ports.items.findById(itemId);
    if (!peek) return 'missing';
    if (peek.deletedAt) return 'already-deleted';
    if (!peek.deleteAt || peek.deleteAt.getTime() > clock.now().getTime()) return 'not-due';
    if (await uow.ports.holds.isHeld(peek.subjectId)) return 'held';
    // The file first: if the process dies after it, the row is still live and the next run finishes.
    if (peek.blobKey) await vault.deleteImage(peek.blobKey);

    const outcome = await uow.transaction(async (ports) => {
      const item = await ports.items.lockById(itemId);
      const now = clock.now();
      if (!item || item.deletedAt) return 'already-deleted' as const;
      if (!item.deleteAt || item.deleteAt.getTime() > now.getTime()) return 'not-due' as const;
      if (await ports.holds.isHeld(item.subjectId)) return 'held' as const;
      if (item.itemClass === 'reference_template' && item.templateId) await ports.templates.destroyOne(item.templateId, now);
      if (item.itemClass === 'document_image') await ports.documentRegistry.deleteFingerprintOfItem(item.id);
      if (item.itemClass === 'result' && item.submissionId) {
        await ports.submissions.purgeResult(item.submissionId);
        await ports.fingerprints.deleteForSubmission(item.submissionId);
      }
      await ports.items.markDeleted(item.id, now);
      await audit.record({
        actor: RETENTION_ACTOR, action: 'retention.purged', subjectId: item.subjectId, targetType: item.itemClass,
        targetId: item.id, outcome: 'success',
        details: { itemClass: item.itemClass, policy: item.policy, deleteAt: item.deleteAt.toISOString() },
      }, ports);
      return 'purged' as const;
    });
    if (outcome === 'purged') this.deps.onPurged?.(peek.itemClass);
    return outcome;
  }

  /** Purges everything overdue, page by page; returns how many went and how many remain overdue (should be 0). */
  async sweep(): Promise<{ purged: number; overdue: number }> {
    const { uow, clock } = this.deps;
    let purged = 0;
    for (;;) {
      const due = await uow.ports.items.findDue(clock.now(), SWEEP_PAGE);
      let progressed = false;
      for (const id of due) {
        if ((await this.purgeItem(id)) === 'purged') {
          purged += 1;
          progressed = true;
        }
      }
      if (due.length < SWEEP_PAGE || !progressed) break;
    }
    return { purged, overdue: await uow.ports.items.countOverdue(clock.now()) };
  }
}
