import type { Clock } from '../../shared/clock.js';
import type { BiometricVault } from '../subjects/biometric-vault.js';
import type { Database } from '../../storage/database/database.js';
import { createRepositories } from '../../storage/repositories/index.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor } from '../audit/audit-entry.js';
import type { ItemClass } from './stored-item.js';

export type PurgeOutcome = 'purged' | 'already-deleted' | 'not-due' | 'held' | 'missing';

const RETENTION_ACTOR: Actor = { type: 'system', id: 'retention', role: null };
const SWEEP_PAGE = 200;

/**
 * Deletes stored items whose time has come. The database row's delete_at is the truth: a delayed job
 * and the periodic sweep both end here, and running either twice is harmless.
 */
export class PurgeService {
  constructor(
    private readonly db: Database,
    private readonly vault: BiometricVault,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly onPurged: (itemClass: ItemClass) => void = () => undefined,
  ) {}

  async purgeItem(itemId: string): Promise<PurgeOutcome> {
    const repos = createRepositories(this.db);
    const peek = await repos.items.findById(itemId);
    if (!peek) return 'missing';
    if (peek.deletedAt) return 'already-deleted';
    if (!peek.deleteAt || peek.deleteAt.getTime() > this.clock.now().getTime()) return 'not-due';
    if (await repos.holds.isHeld(peek.subjectId)) return 'held';
    // The file first: if the process dies after it, the row is still live and the next run finishes.
    if (peek.blobKey) await this.vault.deleteImage(peek.blobKey);

    const outcome = await this.db.transaction(async (tx) => {
      const r = createRepositories(tx);
      const item = await r.items.lockById(itemId);
      const now = this.clock.now();
      if (!item || item.deletedAt) return 'already-deleted' as const;
      if (!item.deleteAt || item.deleteAt.getTime() > now.getTime()) return 'not-due' as const;
      if (await r.holds.isHeld(item.subjectId)) return 'held' as const;
      if (item.itemClass === 'reference_template' && item.templateId) await r.templates.destroyOne(item.templateId, now);
      if (item.itemClass === 'document_image') await r.documentRegistry.deleteFingerprintOfItem(item.id);
      if (item.itemClass === 'result' && item.submissionId) {
        await r.submissions.purgeResult(item.submissionId);
        await r.fingerprints.deleteForSubmission(item.submissionId);
      }
      await r.items.markDeleted(item.id, now);
      await this.audit.record({
        actor: RETENTION_ACTOR, action: 'retention.purged', subjectId: item.subjectId, targetType: item.itemClass,
        targetId: item.id, outcome: 'success',
        details: { itemClass: item.itemClass, policy: item.policy, deleteAt: item.deleteAt.toISOString() },
      }, createRepositories(tx));
      return 'purged' as const;
    });
    if (outcome === 'purged') this.onPurged(peek.itemClass);
    return outcome;
  }

  /** Purges everything overdue, page by page; returns how many went and how many remain overdue (should be 0). */
  async sweep(): Promise<{ purged: number; overdue: number }> {
    const repos = createRepositories(this.db);
    let purged = 0;
    for (;;) {
      const due = await repos.items.findDue(this.clock.now(), SWEEP_PAGE);
      let progressed = false;
      for (const id of due) {
        if ((await this.purgeItem(id)) === 'purged') {
          purged += 1;
          progressed = true;
        }
      }
      if (due.length < SWEEP_PAGE || !progressed) break;
    }
    return { purged, overdue: await repos.items.countOverdue(this.clock.now()) };
  }
}
