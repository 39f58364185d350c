import type { Clock } from '../../shared/clock.js';
import { ConflictError } from '../../shared/errors.js';
import type { BiometricVault } from '../subjects/biometric-vault.js';
import type { Database } from '../../storage/database/database.js';
import { createRepositories } from '../../storage/repositories/index.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorRef, PURPOSE, type Actor } from '../audit/audit-entry.js';
import type { ConsentService } from '../consent/consent.service.js';
import type { Subject } from '../subjects/subject.js';
import type { ErasureLedger } from './erasure-ledger.js';

/** Why a subject's data is destroyed (Law on Personal Data, Art. 20). */
export const ERASURE_REASONS = ['relationship-ended', 'court-decision', 'term-ended', 'subject-request', 'death-registered'] as const;
export type ErasureReason = (typeof ERASURE_REASONS)[number];

export const ERASURE_POLICY = 'erasure';

/**
 * Erasure: the subject's data key is destroyed first (every copy of their images and templates, on disk
 * or in a backup, becomes unreadable), then blobs, templates and identity fields go. Decisions and consent
 * records stay, without biometric content, as the office's evidence.
 */
export class ErasureService {
  constructor(
    private readonly db: Database,
    private readonly vault: BiometricVault,
    private readonly consents: ConsentService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    private readonly ledger: ErasureLedger,
  ) {}

  async erase(subject: Subject, reason: ErasureReason, reference: string, actor: Actor, record = true): Promise<{ blobsDeleted: number }> {
    if (subject.status === 'erased') throw new ConflictError('SUBJECT_ALREADY_ERASED', 'The subject has already been erased.');
    const now = this.clock.now();
    const blobKeys = await this.db.transaction(async (tx) => {
      const repos = createRepositories(tx);
      await repos.subjectKeys.destroy(subject.id, now);
      await this.consents.withdrawAll(subject.id, `erasure: ${reason}`, actor, tx);
      const templates = await repos.templates.destroyAll(subject.id, now);
      const keys = await repos.items.markBiometricsDeleted(subject.id, now, ERASURE_POLICY);
      // Replay fingerprints, challenges and failed attempts describe the person's checks: none outlives them.
      await repos.fingerprints.deleteForSubject(subject.id);
      // Document numbers (keyed hashes) and document photo fingerprints: nothing of their documents stays findable.
      await repos.documentRegistry.deleteForSubject(subject.id);
      await repos.livenessChallenges.deleteForSubject(subject.id);
      await repos.livenessAttempts.deleteForSubject(subject.id);
      // The relationship has ended: no phone may act for them again, and no code issued at the office may link one.
      const devices = await repos.devices.revokeAllForSubject(subject.id, now, actorRef(actor), `erasure: ${reason}`);
      await repos.subjects.markErased(subject.id, now, reason);
      await this.audit.record({
        actor, action: 'subject.erased', purpose: PURPOSE, subjectId: subject.id, targetType: 'subject', targetId: subject.id,
        outcome: 'success', details: { reason, reference, templates, images: keys.length, devicesRevoked: devices },
      }, createRepositories(tx));
      return keys;
    });
    // Remembered outside the database: a restored older backup is erased again on replay.
    if (record) this.ledger.append({ subjectId: subject.id, erasedAt: now.toISOString(), reason });
    // After the commit: the blobs are already unreadable; deleting them is tidiness the purge sweep repeats if this fails.
    let blobsDeleted = 0;
    for (const key of blobKeys) {
      await this.vault.deleteImage(key).then(() => { blobsDeleted += 1; }, () => undefined);
    }
    return { blobsDeleted };
  }

  /**
   * After a restore: erases again every subject the ledger names that the restored data still holds,
   * and records in the ledger any erasure the database knows but the ledger missed (a crash between them).
   */
  async replayLedger(): Promise<{ reErased: number; recorded: number }> {
    const repos = createRepositories(this.db);
    let reErased = 0;
    for (const entry of this.ledger.entries()) {
      const subject = await repos.subjects.findById(entry.subjectId);
      if (subject && subject.status !== 'erased') {
        await this.erase(subject, entry.reason as ErasureReason, 'ledger replay after restore', REPLAY_ACTOR, false);
        reErased += 1;
      }
    }
    let recorded = 0;
    for (const row of await this.db.query<{ id: string; erased_at: Date; erasure_reason: string }>(
      `SELECT id, erased_at, erasure_reason FROM subjects WHERE status = 'erased'`)) {
      if (!this.ledger.has(row.id)) {
        this.ledger.append({ subjectId: row.id, erasedAt: row.erased_at.toISOString(), reason: row.erasure_reason });
        recorded += 1;
      }
    }
    return { reErased, recorded };
  }
}

const REPLAY_ACTOR: Actor = { type: 'system', id: 'erasure-ledger-replay', role: null };
