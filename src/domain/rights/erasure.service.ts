import type { Clock } from '../../shared/clock.js';
import { ConflictError } from '../../shared/errors.js';
import type { AuditService } from '../audit/audit.service.js';
import { actorRef, PURPOSE, type Actor } from '../audit/audit-entry.js';
import type { BiometricVault } from '../subjects/biometric-vault.js';
import type { Subject } from '../subjects/subject.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { ErasureLedger } from './erasure-ledger.js';
import type { RightsPorts } from './rights-ports.js';

/** Why a subject's data is destroyed (Law on Personal Data, Art. 20). */
export const ERASURE_REASONS = ['relationship-ended', 'court-decision', 'term-ended', 'subject-request', 'death-registered'] as const;
export type ErasureReason = (typeof ERASURE_REASONS)[number];

export const ERASURE_POLICY = 'erasure';

/**
 * What erasure needs. `Ports` is whatever the unit of work hands out (storage's ports in production): the consent
 * area ends the consents with the same transaction's ports, so the composition root checks that they fit it.
 */
export interface ErasureServiceDeps<Ports extends RightsPorts> {
  readonly uow: UnitOfWork<Ports>;
  /** The consent area: ends every consent of the subject inside the erasure's transaction; idempotent. */
  readonly consents: { withdrawAll(subjectId: string, reason: string, actor: Actor, scope: Ports): Promise<readonly string[]> };
  readonly vault: Pick<BiometricVault, 'deleteImage'>;
  readonly audit: AuditService;
  readonly clock: Clock;
  readonly ledger: ErasureLedger;
}

/**
 * Erasure: the subject's data key is destroyed first (every copy of their images and templates, on disk
 * or in a backup, becomes unreadable), then blobs, templates and identity fields go. Decisions and consent
 * records stay, without biometric content, as the office's evidence.
 */
export class ErasureService<Ports extends RightsPorts = RightsPorts> {
  constructor(private readonly deps: ErasureServiceDeps<Ports>) {}

  async erase(subject: Subject, reason: ErasureReason, reference: string, actor: Actor, record = true): Promise<{ blobsDeleted: number }> {
    if (subject.status === 'erased') throw new ConflictError('SUBJECT_ALREADY_ERASED', 'The subject has already been erased.');
    const { uow, consents, audit, ledger, vault } = this.deps;
    const now = this.deps.clock.now();
    const blobKeys = await uow.transaction(async (ports) => {
      await ports.subjectKeys.destroy(subject.id, now);
      await consents.withdrawAll(subject.id, `erasure: ${reason}`, actor, ports);
      const templates = await ports.templates.destroyAll(subject.id, now);
      const keys = await ports.items.markBiometricsDeleted(subject.id, now, ERASURE_POLICY);
      // Replay fingerprints, challenges and failed attempts describe the person's checks: none outlives them.
      await ports.fingerprints.deleteForSubject(subject.id);
      // Document numbers (keyed hashes) and document photo fingerprints: nothing of their documents stays findable.
      await ports.documentRegistry.deleteForSubject(subject.id);
      await ports.livenessChallenges.deleteForSubject(subject.id);
      await ports.livenessAttempts.deleteForSubject(subject.id);
      // The relationship has ended: no phone may act for them again, and no code issued at the office may link one.
      const devices = await ports.devices.revokeAllForSubject(subject.id, now, actorRef(actor), `erasure: ${reason}`);
      await ports.subjects.markErased(subject.id, now, reason);
      await audit.record({
        actor, action: 'subject.erased', purpose: PURPOSE, subjectId: subject.id, targetType: 'subject', targetId: subject.id,
        outcome: 'success', details: { reason, reference, templates, images: keys.length, devicesRevoked: devices },
      }, ports);
      return keys;
    });
    // Remembered outside the database: a restored older backup is erased again on replay.
    if (record) ledger.append({ subjectId: subject.id, erasedAt: now.toISOString(), reason });
    // After the commit: the blobs are already unreadable; deleting them is tidiness the purge sweep repeats if this fails.
    let blobsDeleted = 0;
    for (const key of blobKeys) {
      await vault.deleteImage(key).then(() => { blobsDeleted += 1; }, () => undefined);
    }
    return { blobsDeleted };
  }

  /**
   * After a restore: erases again every subject the ledger names that the restored data still holds,
   * and records in the ledger any erasure the database knows but the ledger missed (a crash between them).
   */
  async replayLedger(): Promise<{ reErased: number; recorded: number }> {
    const { uow, ledger } = this.deps;
    let reErased = 0;
    for (const entry of ledger.entries()) {
      const subject = await uow.ports.subjects.findById(entry.subjectId);
      if (subject && subject.status !== 'erased') {
        await this.erase(subject, entry.reason as ErasureReason, 'ledger replay after restore', REPLAY_ACTOR, false);
        reErased += 1;
      }
    }
    let recorded = 0;
    for (const erased of await uow.ports.subjects.listErased()) {
      if (!ledger.has(erased.id)) {
        ledger.append({ subjectId: erased.id, erasedAt: erased.erasedAt.toISOString(), reason: erased.reason });
        recorded += 1;
      }
    }
    return { reErased, recorded };
  }
}

const REPLAY_ACTOR: Actor = { type: 'system', id: 'erasure-ledger-replay', role: null };
