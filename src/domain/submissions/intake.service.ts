import { createHash } from 'node:crypto';
import type { Clock } from '../../shared/clock.js';
import { ConflictError, ValidationError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { NormalizedImage } from '../../images/image-codec.js';
import type { BiometricVault } from '../subjects/biometric-vault.js';
import { retentionRules, timerFor, type RetentionSettings } from '../retention/retention-policy.js';
import type { ItemClass } from '../retention/stored-item.js';
import type { ScopeNeed } from '../consent/consent.js';
import type { ConsentDraft } from '../consent/consent-confirmation.service.js';
import type { AuditService } from '../audit/audit.service.js';
import { PURPOSE, type Actor } from '../audit/audit-entry.js';
import type { Passport } from '../subjects/passport.js';
import type { Subject } from '../subjects/subject.js';
import type { SubjectService } from '../subjects/subject.service.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { IntakePorts } from './submission-ports.js';
import type { SubmissionKind } from './submission.js';
import type { SubmissionQueue } from './submission-queue.js';

/** Checks that an active consent covers the processing (the consent ledger). */
export interface ConsentGate {
  require(subjectId: string, needs: readonly ScopeNeed[]): Promise<void>;
  /** The consent a withdrawal names, still active (else 404/409). */
  activeConsent(subject: Subject, consentId: string): Promise<unknown>;
}

/** Enrolment and verification both compare faces and rely on a kept template. */
export const SUBMISSION_NEEDS: readonly ScopeNeed[] = ['biometricProcessing', 'referenceTemplate'];

interface Upload {
  /** 'selfie', 'document', or 'frame-NN' for the frames of a challenge response in the order taken. */
  readonly role: string;
  readonly itemClass: ItemClass;
  readonly image: NormalizedImage;
}

/** The frames of a liveness challenge response, with the nonce of the challenge they answer. */
export interface ChallengeResponse {
  readonly nonce: string;
  readonly frames: readonly NormalizedImage[];
}

/** Stored role of the k-th challenge frame; sorts in the order taken. */
export const frameRole = (k: number) => `frame-${String(k).padStart(2, '0')}`;

/**
 * What intake needs. `Scope`: the ports its unit of work hands out, which the challenge redemption also writes with
 * (the composition root's storage ports; a test's in-memory ones).
 */
export interface IntakeDeps<Scope extends IntakePorts = IntakePorts> {
  readonly uow: UnitOfWork<Scope>;
  readonly subjects: Pick<SubjectService, 'get' | 'replacePassport' | 'isEnrolled'>;
  readonly consents: ConsentGate;
  readonly vault: Pick<BiometricVault, 'putImage' | 'putEvidence'>;
  readonly queue: SubmissionQueue;
  readonly timers: { scheduleSubmission(submissionId: string): Promise<void> };
  readonly retention: RetentionSettings;
  readonly clock: Clock;
  readonly audit: AuditService;
  /** Spends a challenge's nonce inside the transaction that records the submission carrying it. */
  readonly challenges: { redeem(scope: Scope, input: { nonce: string | null; subjectId: string; submissionId: string; frameCount: number }): Promise<unknown> };
  /** Told when Redis could not take a job (the stale-submission sweep will). */
  readonly onEnqueueError?: (submissionId: string, error: unknown) => void;
}

/**
 * Accepts enrolments and verifications: seals the images, records the submission with its retention
 * timers in one transaction, then queues it. Nothing is queued for a subject who cannot be processed.
 */
export class IntakeService<Scope extends IntakePorts = IntakePorts> {
  constructor(private readonly deps: IntakeDeps<Scope>) {}

  async enrol(ref: string, selfie: NormalizedImage, document: NormalizedImage, passport?: Passport): Promise<string> {
    const subject = await this.activeSubject(ref);
    if (passport) await this.deps.subjects.replacePassport(subject, passport);
    else if (!subject.hasPassport) {
      throw new ValidationError('PASSPORT_REQUIRED', 'The subject has no passport fields yet: send the "passport" field.');
    }
    return this.accept(subject, 'enrollment', [
      { role: 'selfie', itemClass: 'selfie_image', image: selfie },
      { role: 'document', itemClass: 'document_image', image: document },
    ]);
  }

  /** A proof of life: the selfie, and the frames answering a liveness challenge when the app ran one. */
  async verify(ref: string, selfie: NormalizedImage, challenge?: ChallengeResponse): Promise<string> {
    const subject = await this.activeSubject(ref);
    if (!(await this.deps.subjects.isEnrolled(subject))) throw await this.notEnrolled(subject);
    const frames = (challenge?.frames ?? []).map((image, k): Upload => ({ role: frameRole(k), itemClass: 'liveness_frame', image }));
    return this.accept(subject, 'verification', [{ role: 'selfie', itemClass: 'selfie_image', image: selfie }, ...frames], challenge);
  }

  /**
   * A phone withdraws consent with a selfie taken now: queued as a `consent-withdrawal` submission, whose selfie the worker
   * matches with the subject's references; the withdrawal is carried out only if that decision is verified.
   */
  async requestWithdrawal(ref: string, consentId: string, selfie: NormalizedImage, reason: string, actor: Actor): Promise<string> {
    const subject = await this.activeSubject(ref);
    await this.deps.consents.activeConsent(subject, consentId);
    // Nothing to match the selfie with: the pensioner withdraws at the office, where an operator checks who they are.
    if (!(await this.deps.subjects.isEnrolled(subject))) throw await this.notEnrolled(subject);
    return this.accept(subject, 'consent-withdrawal', [{ role: 'selfie', itemClass: 'selfie_image', image: selfie }], undefined, async (repos, submissionId) => {
      const now = this.deps.clock.now();
      await repos.consents.insertWithdrawalRequest({ submissionId, subjectId: subject.id, consentId, reason, requestedBy: JSON.stringify(actor), createdAt: now });
      await this.deps.audit.record({
        actor, action: 'consent.withdrawal-requested', purpose: PURPOSE, subjectId: subject.id, targetType: 'consent', targetId: consentId,
        outcome: 'success', details: { submissionId },
      }, repos);
    });
  }

  /**
   * A phone records a consent with a selfie taken now (and the frames of a liveness challenge when the app ran one):
   * queued as a `consent-record` submission whose selfie the worker matches with the subject's references; the consent
   * is recorded only if that decision is verified. The draft was checked already (ConsentConfirmationService.draft).
   */
  async requestConsent(ref: string, draft: ConsentDraft, selfie: NormalizedImage, actor: Actor, challenge?: ChallengeResponse): Promise<string> {
    const subject = await this.activeSubject(ref);
    // Nothing to match the selfie with: before enrolment the consent waits for the enrolment's selfie instead.
    if (!(await this.deps.subjects.isEnrolled(subject))) throw await this.notEnrolled(subject);
    const evidenceBlobKey = newId();
    await this.deps.vault.putEvidence(evidenceBlobKey, draft.evidence);
    const frames = (challenge?.frames ?? []).map((image, k): Upload => ({ role: frameRole(k), itemClass: 'liveness_frame', image }));
    const uploads: Upload[] = [{ role: 'selfie', itemClass: 'selfie_image', image: selfie }, ...frames];
    return this.accept(subject, 'consent-record', uploads, challenge, async (repos, submissionId) => {
      await repos.consents.insertRecordRequest({
        submissionId, subjectId: subject.id, textId: draft.textId, purpose: draft.purpose, scope: draft.scope, channel: draft.channel,
        evidenceBlobKey, evidenceSha256: createHash('sha256').update(draft.evidence).digest('hex'), deviceId: draft.deviceId, ip: draft.ip,
        signedAt: draft.signedAt, requestedBy: JSON.stringify(actor), createdAt: this.deps.clock.now(),
      });
      await this.deps.audit.record({
        actor, action: 'consent.recording-requested', purpose: PURPOSE, subjectId: subject.id, targetType: 'submission', targetId: submissionId,
        outcome: 'success', details: { channel: draft.channel },
      }, repos);
    });
  }

  /**
   * Why there is no reference to compare with, from the subject's latest enrolment: the app must tell "wait for the
   * result" and "an officer must approve it first" apart from "enrol again", and each has its own code.
   */
  private async notEnrolled(subject: Subject): Promise<ConflictError> {
    const latest = (await this.deps.uow.ports.submissions.listForSubject(subject.id, 20)).find((s) => s.kind === 'enrollment');
    if (latest && (latest.status === 'queued' || latest.status === 'processing')) {
      return new ConflictError('ENROLLMENT_IN_PROGRESS',
        'The subject\'s enrolment is still being processed: wait for its result (GET /v1/submissions/{id}), then send the proof of life.',
        { submissionId: latest.id });
    }
    if (latest?.status === 'completed' && latest.decision === 'needs_review' && !latest.review) {
      return new ConflictError('ENROLLMENT_AWAITING_REVIEW',
        'The subject\'s enrolment is awaiting review: a reviewer must approve it (dashboard review queue) before a proof of life can be compared with it.',
        { submissionId: latest.id });
    }
    if (!latest) return new ConflictError('SUBJECT_NOT_ENROLLED', 'The subject has no enrolled reference yet: enrol them first.');
    return new ConflictError('SUBJECT_NOT_ENROLLED', latest.decision === 'verified'
      ? 'The subject\'s references are no longer held (consent withdrawn, or a model upgrade asked for re-enrolment): enrol them again.'
      : 'The subject\'s last enrolment was not accepted, so there is no reference to compare with: enrol them again.',
    { submissionId: latest.id });
  }

  private async activeSubject(ref: string): Promise<Subject> {
    const subject = await this.deps.subjects.get(ref);
    if (subject.status !== 'active') {
      throw new ConflictError('SUBJECT_NOT_ACTIVE', `The subject is ${subject.status}; no new checks are accepted.`);
    }
    // Art. 17: nothing is stored or queued without written consent covering it.
    await this.deps.consents.require(subject.id, SUBMISSION_NEEDS);
    return subject;
  }

  private async accept(
    subject: Subject, kind: SubmissionKind, uploads: readonly Upload[], challenge?: ChallengeResponse,
    alongside?: (scope: Scope, submissionId: string) => Promise<void>,
  ): Promise<string> {
    const { uow, vault, queue, timers, clock } = this.deps;
    const now = clock.now();
    const submissionId = newId();
    const rules = retentionRules(this.deps.retention);
    const stored = uploads.map((u) => ({ ...u, itemId: newId() }));
    // Blobs first: a crash here leaves unreferenced ciphertext, never a row pointing at nothing.
    for (const s of stored) await vault.putImage(subject.id, s.itemId, s.image.jpeg);
    await uow.transaction(async (repos) => {
      await repos.submissions.insert({ id: submissionId, subjectId: subject.id, kind, createdAt: now });
      for (const s of stored) {
        const timer = timerFor(rules[s.itemClass], now);
        await repos.items.insert({
          id: s.itemId, subjectId: subject.id, submissionId, itemClass: s.itemClass, role: s.role, blobKey: s.itemId,
          templateId: null, policy: timer.policy, deleteAt: timer.deleteAt, deleteCondition: timer.deleteCondition, createdAt: now,
        });
      }
      // The nonce is spent with the submission that carries it, or not at all (the transaction rolls back).
      if (challenge) {
        await this.deps.challenges.redeem(repos, { nonce: challenge.nonce, subjectId: subject.id, submissionId, frameCount: challenge.frames.length });
      }
      await alongside?.(repos, submissionId);
    });
    // The row is durable now: if Redis cannot take the job, the stale-submission sweep queues it later.
    await queue.enqueue(submissionId).catch((error: unknown) => this.deps.onEnqueueError?.(submissionId, error));
    await timers.scheduleSubmission(submissionId);
    return submissionId;
  }
}
