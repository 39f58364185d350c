import { createHash } from 'node:crypto';
import type { Clock } from '../../shared/clock.js';
import { ConflictError, NotFoundError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { BiometricVault } from '../subjects/biometric-vault.js';
import type { AuditService } from '../audit/audit.service.js';
import { PURPOSE, actorLabel, type Actor } from '../audit/audit-entry.js';
import type { Subject } from '../subjects/subject.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { ConsentPorts } from './consent-ports.js';
import { CONSENT_MESSAGES } from './consent-messages.js';
import {
  covers, type Consent, type ConsentChannel, type ConsentScope, type ConsentText, type Language, type RecordingConfirmation, type ScopeNeed,
  type WithdrawalConfirmation,
} from './consent.js';
import { checkConsentStatement } from './consent-input.js';

/** What the client sends to record a consent. */
export interface RecordConsentInput {
  readonly textVersion: string;
  readonly language: Language;
  readonly purpose: string;
  readonly scope: ConsentScope;
  readonly channel: ConsentChannel;
  readonly witness?: string;
  /** The signed payload (mobile/e-signature) or the scanned form (paper), as received. */
  readonly evidence: Buffer;
  readonly deviceId?: string;
  readonly signedAt: Date;
  readonly ip: string | null;
}

export const WITHDRAWN_POLICY = 'consent-withdrawn';

export interface ConsentServiceDeps {
  readonly uow: UnitOfWork<ConsentPorts>;
  readonly vault: Pick<BiometricVault, 'putEvidence'>;
  readonly audit: AuditService;
  readonly clock: Clock;
  /** Called after a withdrawal commits, so the purge can run now rather than at the next sweep. */
  readonly onBiometricsScheduled?: (subjectId: string) => void;
}

/**
 * The consent ledger (Art. 17 written consent, Art. 11 withdrawal). No face is processed or kept for a
 * subject without an active consent that covers it; withdrawal stops processing at once.
 */
export class ConsentService {
  constructor(private readonly deps: ConsentServiceDeps) {}

  texts(language?: Language): Promise<ConsentText[]> {
    return this.deps.uow.ports.consents.latestTexts(language);
  }

  list(subject: Subject): Promise<Consent[]> {
    return this.deps.uow.ports.consents.listForSubject(subject.id);
  }

  /**
   * Records a consent; `confirmation` says how the pensioner's presence was confirmed (docs/SECURITY.md): the operator's
   * identity check, or, from a phone before enrolment, pending the enrolment that follows (ConsentConfirmationService).
   */
  async record(subject: Subject, input: RecordConsentInput, actor: Actor, confirmation: RecordingConfirmation | null = null): Promise<Consent> {
    if (subject.status !== 'active') throw new ConflictError('SUBJECT_NOT_ACTIVE', `The subject is ${subject.status}.`);
    const now = this.deps.clock.now();
    const text = checkConsentStatement(await this.deps.uow.ports.consents.findText(input.textVersion, input.language), input, now);
    const id = newId();
    const evidenceBlobKey = newId();
    await this.deps.vault.putEvidence(evidenceBlobKey, input.evidence);
    const consent: Consent = {
      id, subjectId: subject.id, textId: text.id, textVersion: text.version, language: text.language, purpose: text.purpose,
      scope: input.scope, channel: input.channel, witness: input.witness ?? null,
      evidenceSha256: createHash('sha256').update(input.evidence).digest('hex'),
      deviceId: input.deviceId ?? null, ip: input.ip, signedAt: input.signedAt, recordedAt: now,
      recordedBy: actorLabel(actor), status: 'active', withdrawnAt: null, withdrawnBy: null, withdrawalReason: null,
      withdrawalConfirmation: null, textSha256: text.contentSha256, confirmation, confirmationSelfie: null,
    };
    await this.deps.uow.transaction(async (ports) => {
      await ports.consents.insert({ ...consent, evidenceBlobKey });
      await this.deps.audit.record({
        actor, action: 'consent.recorded', purpose: PURPOSE, subjectId: subject.id, targetType: 'consent', targetId: id,
        outcome: 'success', details: {
          channel: input.channel, textVersion: text.version, language: text.language, confirmedBy: confirmation?.method ?? null,
          ...(confirmation?.method === 'identity-check' ? { identityCheck: confirmation.identityCheck } : {}),
        },
      }, ports);
    });
    return consent;
  }

  /**
   * Art. 11: the subject withdraws consent. Every active consent for the purpose ends, templates leave use,
   * and images and templates are due for deletion now; the consent records and past decisions stay as evidence.
   */
  async withdraw(subject: Subject, consentId: string, reason: string, actor: Actor, confirmation: WithdrawalConfirmation | null = null): Promise<Consent> {
    const { consents } = this.deps.uow.ports;
    const consent = await consents.findById(subject.id, consentId);
    if (!consent) throw new NotFoundError('CONSENT_NOT_FOUND', `No consent "${consentId}" for this subject.`);
    await this.withdrawAll(subject.id, reason, actor, undefined, confirmation);
    return (await consents.findById(subject.id, consentId))!;
  }

  /** The consent a phone's withdrawal names: 404 if the subject has no such consent, 409 if it has ended already. */
  async activeConsent(subject: Subject, consentId: string): Promise<Consent> {
    const consent = await this.deps.uow.ports.consents.findById(subject.id, consentId);
    if (!consent) throw new NotFoundError('CONSENT_NOT_FOUND', `No consent "${consentId}" for this subject.`);
    if (consent.status !== 'active') {
      throw new ConflictError('CONSENT_ALREADY_WITHDRAWN', 'This consent was withdrawn already.', { messages: CONSENT_MESSAGES.CONSENT_ALREADY_WITHDRAWN });
    }
    return consent;
  }

  /**
   * The worker decided on the selfie of a phone's withdrawal (inside the transaction that records the decision): carried
   * out only if verified, otherwise refused and audited. Returns the subject whose biometrics are now due, for the purge.
   */
  async settleWithdrawal(scope: ConsentPorts, submissionId: string, decision: string | null, score: number | null): Promise<string | null> {
    const carriedOut = decision === 'verified';
    const request = await scope.consents.settleWithdrawalRequest(submissionId, this.deps.clock.now(), carriedOut);
    if (!request) return null;
    const actor = JSON.parse(request.requestedBy) as Actor;
    if (carriedOut) {
      const confirmation: WithdrawalConfirmation = { method: 'selfie', submissionId, decision: decision!, score };
      return (await this.withdrawAll(request.subjectId, request.reason, actor, scope, confirmation)).length ? request.subjectId : null;
    }
    await this.deps.audit.record({
      actor, action: 'consent.withdrawal-refused', purpose: PURPOSE, subjectId: request.subjectId, targetType: 'consent',
      targetId: request.consentId, outcome: 'denied', details: { submissionId, decision, score },
    }, scope);
    return null;
  }

  /** Starts the purge of a subject whose consent a settled withdrawal ended (after its transaction committed). */
  purgeNow(subjectId: string): void {
    this.deps.onBiometricsScheduled?.(subjectId);
  }

  /**
   * Ends all active consents of a subject (withdrawal, erasure); idempotent. Inside the caller's transaction pass its
   * ports (`scope`): the purge is then the caller's to start once it commits.
   */
  async withdrawAll(
    subjectId: string, reason: string, actor: Actor, scope?: ConsentPorts, confirmation: WithdrawalConfirmation | null = null,
  ): Promise<string[]> {
    const now = this.deps.clock.now();
    const work = async (repos: ConsentPorts) => {
      const ended = await repos.consents.withdraw(subjectId, 'all', now, actorLabel(actor), reason, confirmation);
      if (!ended.length) return ended;
      await repos.templates.withdrawAll(subjectId);
      const scheduled = await repos.items.scheduleBiometrics(subjectId, now, WITHDRAWN_POLICY);
      await this.deps.audit.record({
        actor, action: 'consent.withdrawn', purpose: PURPOSE, subjectId, targetType: 'consent', targetId: ended.join(','),
        outcome: 'success', details: {
          consents: ended.length, itemsScheduledForDeletion: scheduled, confirmedBy: confirmation?.method ?? null,
          ...(confirmation?.method === 'selfie' ? { submissionId: confirmation.submissionId, score: confirmation.score } : {}),
          ...(confirmation?.method === 'identity-check' ? { identityCheck: confirmation.identityCheck } : {}),
        },
      }, repos);
      return ended;
    };
    const ended = scope ? await work(scope) : await this.deps.uow.transaction(work);
    if (ended.length && !scope) this.deps.onBiometricsScheduled?.(subjectId);
    return ended;
  }

  /** Throws CONSENT_REQUIRED unless an active consent covers `needs` for the pension purpose. */
  async require(subjectId: string, needs: readonly ScopeNeed[]): Promise<void> {
    if (!(await this.isCovered(subjectId, needs))) {
      throw new ConflictError('CONSENT_REQUIRED', 'No active written consent covers this processing: record the subject\'s consent first.', { needs });
    }
  }

  async isCovered(subjectId: string, needs: readonly ScopeNeed[]): Promise<boolean> {
    const consents = await this.deps.uow.ports.consents.listForSubject(subjectId);
    return consents.some((c) => covers(c, needs, PURPOSE));
  }
}
