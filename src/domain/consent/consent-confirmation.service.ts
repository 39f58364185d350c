import type { Clock } from '../../shared/clock.js';
import { ValidationError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { AuditService } from '../audit/audit.service.js';
import { PURPOSE, actorLabel, type Actor } from '../audit/audit-entry.js';
import type { Subject } from '../subjects/subject.js';
import type { UnitOfWork } from '../unit-of-work.js';
import { CONSENT_MESSAGES } from './consent-messages.js';
import { checkConsentStatement, type ConsentStatement } from './consent-input.js';
import type {
  Consent, ConsentChannel, ConsentScope, RecordingConfirmation,
} from './consent.js';
import type { ConsentService, RecordConsentInput } from './consent.service.js';
import type { ConsentConfirmationPorts } from './consent-ports.js';

/** What a phone's consent will say once its selfie is matched: checked, evidence not yet stored. */
export interface ConsentDraft {
  readonly textId: string;
  readonly purpose: string;
  readonly scope: ConsentScope;
  readonly channel: Exclude<ConsentChannel, 'paper-scan'>;
  readonly evidence: Buffer;
  readonly deviceId: string | null;
  readonly ip: string | null;
  readonly signedAt: Date;
}

/** The enrolment decision that settles the consents pending it, inside the transaction that records the decision. */
export interface EnrolmentDecision {
  readonly subjectId: string;
  readonly submissionId: string;
  readonly decision: string | null;
  /** The match similarity the decision rests on (the machine's, also when a reviewer decided). */
  readonly score: number | null;
  /** The worker, or the reviewer who decided a case the machine could not. */
  readonly actor: Actor;
  readonly at: Date;
}

export interface ConsentConfirmationDeps {
  readonly uow: UnitOfWork<ConsentConfirmationPorts>;
  readonly audit: AuditService;
  readonly clock: Clock;
  readonly subjects: { isEnrolled(subject: Subject): Promise<boolean> };
  readonly consents: Pick<ConsentService, 'record'>;
}

/** Why a phone's first consent ended: the enrolment that followed it did not show the pensioner's face. */
export const FACE_NOT_CONFIRMED = 'FACE_NOT_CONFIRMED: the enrolment that followed this consent was not verified';

/**
 * Face-confirmed consent recording (docs/SECURITY.md). A phone records a consent with a selfie taken then: before the
 * subject is enrolled there is no reference, so the consent waits for the enrolment that follows it; once enrolled, the
 * consent is a `consent-record` submission, recorded only if the worker matches its selfie with the references.
 */
export class ConsentConfirmationService {
  constructor(private readonly deps: ConsentConfirmationDeps) {}

  /**
   * A consent the phone sends as JSON: while the subject has no reference it is recorded pending the enrolment that
   * follows it; once the subject has one, the phone must send a selfie instead (CONSENT_SELFIE_REQUIRED). The statement
   * is checked first, so the phone learns what is wrong with it whichever way it must be sent.
   */
  async recordFromPhone(subject: Subject, input: RecordConsentInput, actor: Actor): Promise<Consent> {
    await this.draft({ ...input, deviceId: input.deviceId ?? null });
    if (await this.deps.subjects.isEnrolled(subject)) {
      throw new ValidationError('CONSENT_SELFIE_REQUIRED',
        `A phone records a consent with a selfie taken now: POST /v1/subjects/${subject.ref}/consent-requests.`,
        { messages: CONSENT_MESSAGES.CONSENT_SELFIE_REQUIRED });
    }
    return this.deps.consents.record(subject, input, actor, { method: 'enrolment-pending' });
  }

  /** Checks a phone's consent before its selfie is queued, so a bad statement is refused at once, not after the match. */
  async draft(input: ConsentStatement & Omit<ConsentDraft, 'textId' | 'purpose' | 'channel'>): Promise<ConsentDraft> {
    const text = checkConsentStatement(await this.deps.uow.ports.consents.findText(input.textVersion, input.language), input, this.deps.clock.now());
    if (input.channel === 'paper-scan') {
      throw new ValidationError('CHANNEL_NOT_ALLOWED', 'A phone signs electronically: channel "mobile-app-signature" or "e-signature".');
    }
    return {
      textId: text.id, purpose: text.purpose, scope: input.scope, channel: input.channel, evidence: input.evidence,
      deviceId: input.deviceId, ip: input.ip, signedAt: input.signedAt,
    };
  }

  /**
   * The worker decided on the selfie of a phone's consent (inside the transaction that records the decision): the
   * consent is recorded only if verified, keeping the selfie's decision, score and submission; otherwise nothing is
   * recorded and the refusal is audited. Returns the consent's id (`consentId`, chosen by the caller to name it in
   * the phone's answer), or null.
   */
  async settleRequest(
    scope: ConsentConfirmationPorts, submissionId: string, decision: string | null, score: number | null, consentId: string = newId(),
  ): Promise<string | null> {
    const request = await scope.consents.findOpenRecordRequest(submissionId);
    if (!request) return null;
    const actor = JSON.parse(request.requestedBy) as Actor;
    const now = this.deps.clock.now();
    if (decision !== 'verified') {
      await scope.consents.settleRecordRequest(submissionId, now, null);
      await this.deps.audit.record({
        actor, action: 'consent.recording-refused', purpose: PURPOSE, subjectId: request.subjectId, targetType: 'submission',
        targetId: submissionId, outcome: 'denied', details: { decision, score },
      }, scope);
      return null;
    }
    const confirmation: RecordingConfirmation = { method: 'selfie', submissionId, decision, score };
    await scope.consents.insert({
      id: consentId, subjectId: request.subjectId, textId: request.textId, purpose: request.purpose, scope: request.scope, channel: request.channel,
      witness: null, evidenceBlobKey: request.evidenceBlobKey, evidenceSha256: request.evidenceSha256, deviceId: request.deviceId,
      ip: request.ip, signedAt: request.signedAt, recordedAt: now, recordedBy: actorLabel(actor), status: 'active', confirmation,
    });
    await scope.consents.settleRecordRequest(submissionId, now, consentId);
    await this.deps.audit.record({
      actor, action: 'consent.recorded', purpose: PURPOSE, subjectId: request.subjectId, targetType: 'consent', targetId: consentId,
      outcome: 'success', details: { channel: request.channel, confirmedBy: 'selfie', submissionId, score },
    }, scope);
    return consentId;
  }
}

/**
 * Settles the consents a phone recorded before enrolment by the enrolment that follows, in the transaction that decides
 * it, so no template is active while its consent is unconfirmed. Verified: confirmed, keeping the enrolment selfie's
 * decision, score and submission. Rejected: the face behind the consent was not the pensioner's, so it ends (the record
 * stays as evidence) and the app asks for consent again before another enrolment. Undecided (review, failure): waits.
 */
export async function settleFirstConsents(audit: AuditService, scope: ConsentConfirmationPorts, e: EnrolmentDecision): Promise<string[]> {
  if (e.decision !== 'verified' && e.decision !== 'rejected') return [];
  const confirmation: RecordingConfirmation = { method: 'selfie', submissionId: e.submissionId, decision: e.decision, score: e.score };
  const refused = e.decision === 'rejected';
  const settled = await scope.consents.settlePendingConfirmation(e.subjectId, confirmation,
    refused ? { at: e.at, by: actorLabel(e.actor), reason: FACE_NOT_CONFIRMED } : null);
  if (settled.length) {
    await audit.record({
      actor: e.actor, action: refused ? 'consent.face-refused' : 'consent.face-confirmed', purpose: PURPOSE, subjectId: e.subjectId,
      targetType: 'consent', targetId: settled.join(','), outcome: refused ? 'denied' : 'success',
      details: { submissionId: e.submissionId, decision: e.decision, score: e.score },
    }, scope);
  }
  return settled;
}
