import { createHash } from 'node:crypto';
import type { ModelCalibration } from '../../config/calibration.js';
import type { FaceEngine } from '../../engine/face-engine.js';
import type { Clock } from '../../shared/clock.js';
import { AppError } from '../../shared/errors.js';
import { newId } from '../../shared/ids.js';
import type { BiometricVault } from '../subjects/biometric-vault.js';
import type { AuditService } from '../audit/audit.service.js';
import { PURPOSE, SYSTEM_WORKER } from '../audit/audit-entry.js';
import type { ScopeNeed } from '../consent/consent.js';
import { CONSENT_MESSAGES } from '../consent/consent-messages.js';
import { livenessAnswer, type AnalysedImage, type AssessInput, type LivenessResult } from '../liveness/liveness-assessor.js';
import { SUBMISSION_NEEDS } from '../submissions/intake.service.js';
import type { RetentionSettings } from '../retention/retention-policy.js';
import type { StoredItem } from '../retention/stored-item.js';
import { CONSENT_ACTION_KINDS, type DocumentCheck, type Submission } from '../submissions/submission.js';
import { analyseDocument, analyseFrame, analyseSelfie, type ImageOps } from './face-analysis.js';
import type { SelfieRules } from './face-selection.js';
import { compareWithReferences, compareEnrolment } from './matching.js';
import { mayBecomeReference } from './reference-approval.js';
import { DEFAULT_GALLERY, recordOutcome, type GallerySettings, type Outcome } from './outcome-recorder.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { ProcessorPorts } from './processor-ports.js';

/**
 * What the processor needs. `Scope`: the ports its unit of work hands out, with which a phone's consent action is
 * settled in the transaction that records the decision (the composition root's storage ports; a test's in-memory ones).
 */
export interface ProcessorDeps<Scope extends ProcessorPorts = ProcessorPorts> {
  readonly uow: UnitOfWork<Scope>;
  readonly vault: Pick<BiometricVault, 'getImage' | 'openEmbedding' | 'sealEmbedding'>;
  readonly engine: FaceEngine;
  /** Image operations; turning a page photographed sideways upright before its portrait is matched. */
  readonly ops: ImageOps & { rotateJpeg(image: Uint8Array, degrees: 90 | 180 | 270): Promise<Uint8Array> };
  readonly calibration: ModelCalibration;
  readonly retention: RetentionSettings;
  readonly selfieRules: SelfieRules;
  readonly clock: Clock;
  readonly audit: AuditService;
  readonly consents: {
    isCovered(subjectId: string, needs: readonly ScopeNeed[]): Promise<boolean>;
    /** Carries out or refuses a phone's withdrawal by its selfie's decision; the subject to purge now, or null. */
    settleWithdrawal?(scope: Scope, submissionId: string, decision: string | null, score: number | null): Promise<string | null>;
    purgeNow?(subjectId: string): void;
  };
  /** Records a phone's consent if its selfie was verified (ConsentConfirmationService); absent: consent-record submissions are only decided. */
  readonly consentRecording?: {
    settleRequest(scope: Scope, submissionId: string, decision: string | null, score: number | null, consentId?: string): Promise<string | null>;
  };
  /** Reads and cross-checks the enrolment's identity document (MRZ vs typed fields); absent: not checked. */
  readonly documentCheck?: (subjectId: string, jpeg: Uint8Array, submissionId: string) => Promise<DocumentCheck>;
  /** Quality gate, passive attack detection, challenge, replay and retry limit, joined with the match. */
  readonly liveness: { assess(input: AssessInput): Promise<LivenessResult> };
  /** Turns the new retention timers into purge jobs once the outcome is committed. */
  readonly timers: { scheduleSubmission(submissionId: string): Promise<void> };
  /** The reference gallery: how many proof-of-life selfies it keeps besides the enrolment's anchors (GALLERY_MAX_RECENT). */
  readonly gallery?: GallerySettings;
}

/** What became of one run. Expected outcomes are values; only breakage (worth a retry) throws. */
export type ProcessResult =
  | { readonly status: 'completed' | 'failed'; readonly decision: string | null; readonly reasons: readonly string[] }
  | { readonly status: 'skipped'; readonly why: 'not_found_or_terminal' | 'already_recorded' };

/** A permanent problem with one submission's data: the submission fails with this code, no retry. */
class SubmissionDataError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

/** Runs one submission through the face engine and records the outcome exactly once. */
export class SubmissionProcessor<Scope extends ProcessorPorts = ProcessorPorts> {
  constructor(private readonly deps: ProcessorDeps<Scope>) {}

  async process(submissionId: string): Promise<ProcessResult> {
    const { uow, clock } = this.deps;
    const repos = uow.ports;
    const submission = await repos.submissions.startAttempt(submissionId, clock.now());
    if (!submission) return { status: 'skipped', why: 'not_found_or_terminal' };
    const items = await repos.items.listForSubmission(submissionId);

    let outcome: Outcome;
    try {
      // Checked again here, not only at upload: consent may have been withdrawn while the job waited.
      if (!(await this.deps.consents.isCovered(submission.subjectId, SUBMISSION_NEEDS))) {
        outcome = { ...failure('CONSENT_WITHDRAWN'), purgeImagesNow: true };
      } else {
        outcome = await this.analyse(submission, items);
      }
    } catch (error) {
      if (!(error instanceof SubmissionDataError)) throw error;
      outcome = failure(error.code);
    }
    const recorded = await this.record(submission, outcome);
    if (!recorded) return { status: 'skipped', why: 'already_recorded' };
    await this.deps.timers.scheduleSubmission(submission.id);
    return { status: outcome.status, decision: outcome.decision, reasons: outcome.reasons };
  }

  /** Called when retries are exhausted: the submission must still reach a terminal state. */
  async failPermanently(submissionId: string, code: string): Promise<boolean> {
    const submission = await this.deps.uow.ports.submissions.findById(submissionId);
    if (!submission || submission.status === 'completed' || submission.status === 'failed') return false;
    const recorded = await this.record(submission, failure(code));
    if (recorded) await this.deps.timers.scheduleSubmission(submission.id);
    return recorded;
  }

  /**
   * Records the outcome; a phone's consent action is settled by it in the same transaction: a withdrawal carried out
   * (and purged at once) or a consent recorded only if verified.
   */
  private async record(submission: Submission, outcome: Outcome): Promise<boolean> {
    const { consents, consentRecording } = this.deps;
    if (submission.kind === 'consent-record' && consentRecording) {
      const carriedOut = outcome.decision === 'verified';
      const code = carriedOut ? 'CONSENT_RECORDED' : 'CONSENT_RECORDING_REFUSED';
      // The consent's id is chosen here so that the phone's answer can name it.
      const consentId = carriedOut ? newId() : undefined;
      const answered: Outcome = {
        ...outcome,
        result: { ...outcome.result, consentAction: { action: 'recording', carriedOut, code, messages: CONSENT_MESSAGES[code], ...(consentId ? { consentId } : {}) } },
      };
      return recordOutcome(this.recorderDeps(), submission, answered, async (scope) => {
        await consentRecording.settleRequest(scope, submission.id, outcome.decision, outcome.result.match?.similarity ?? null, consentId);
      });
    }
    if (submission.kind !== 'consent-withdrawal' || !consents.settleWithdrawal) return recordOutcome(this.recorderDeps(), submission, outcome);
    const carriedOut = outcome.decision === 'verified';
    const code = carriedOut ? 'CONSENT_WITHDRAWAL_CARRIED_OUT' : 'CONSENT_WITHDRAWAL_REFUSED';
    const answered: Outcome = {
      ...outcome, result: { ...outcome.result, consentAction: { action: 'withdrawal', carriedOut, code, messages: CONSENT_MESSAGES[code] } },
    };
    let purge: string | null = null;
    const recorded = await recordOutcome(this.recorderDeps(), submission, answered, async (scope) => {
      purge = await consents.settleWithdrawal!(scope, submission.id, outcome.decision, outcome.result.match?.similarity ?? null);
    });
    if (recorded && purge) consents.purgeNow?.(purge);
    return recorded;
  }

  private recorderDeps() {
    return { ...this.deps, gallery: this.deps.gallery ?? DEFAULT_GALLERY };
  }

  private async analyse(submission: Submission, items: readonly StoredItem[]): Promise<Outcome> {
    const { engine, ops, selfieRules } = this.deps;
    const started = performance.now();
    const selfie = await this.analyseImage(submission, byRole(items, 'selfie'), (jpeg) => analyseSelfie(engine, ops, jpeg, selfieRules));
    let documentCheck: DocumentCheck | undefined;
    const document = submission.kind === 'enrollment'
      ? await this.analyseImage(submission, byRole(items, 'document'), async (jpeg) => {
          documentCheck = await this.deps.documentCheck?.(submission.subjectId, jpeg, submission.id);
          // The MRZ tells which way is up: a sideways portrait matches far worse (similarity 0.54 against 0.85).
          const turn = documentCheck?.rotationApplied;
          const upright = turn === 90 || turn === 180 || turn === 270 ? await ops.rotateJpeg(jpeg, turn) : jpeg;
          const analysis = await analyseDocument(engine, ops, upright);
          return upright === jpeg ? analysis : { ...analysis, finding: { ...analysis.finding, rotation: turn } };
        })
      : null;
    const frames: AnalysedImage[] = [];
    for (const item of frameItems(items)) {
      const frame = await this.analyseImage(submission, item, (jpeg) => analyseFrame(engine, ops, jpeg));
      frames.push({ ...frame.result, sha256: frame.sha256 });
    }
    const analyses = document ? [selfie.result, document.result] : [selfie.result];
    const problems = analyses.map((a) => a.reason).filter((r): r is string => r !== null);

    const t0 = performance.now();
    const comparison = problems.length
      ? null
      : document
        ? compareEnrolment(this.deps, selfie.result, document.result)
        : await compareWithReferences(this.deps, submission.subjectId, selfie.result);
    if (comparison && 'failure' in comparison) throw new SubmissionDataError(comparison.failure);
    for (const ref of comparison?.match.comparedWith ?? []) {
      if (ref.templateId) await this.audited('template.read', submission, 'reference_template', ref.templateId);
    }
    const compareMs = performance.now() - t0;
    // A face match alone does not verify an enrolment whose document a person should look at.
    const documentDoubt = Boolean(documentCheck?.needsReview) && comparison?.decision === 'verified';
    const match = {
      decision: comparison ? (documentDoubt ? 'needs_review' as const : comparison.decision) : 'rejected' as const,
      reasons: [...(comparison ? [comparison.reason] : problems), ...(documentCheck?.reasons ?? [])],
    };

    // Quality, passive attack detection, the challenge and replay join the match: verified only if all pass.
    const t1 = performance.now();
    const checked = await this.deps.liveness.assess({
      submissionId: submission.id, subjectId: submission.subjectId, kind: submission.kind,
      selfie: { ...selfie.result.image, sha256: selfie.sha256 }, selfieFace: selfie.result.face,
      frames, match,
    });
    const timings = {
      decodeMs: sum(analyses.map((a) => a.timings.decodeMs)),
      inferenceMs: sum(analyses.map((a) => a.timings.inferenceMs)),
      compareMs,
      livenessMs: performance.now() - t1,
      processingMs: performance.now() - started,
      queueWaitMs: (submission.startedAt ?? this.deps.clock.now()).getTime() - submission.createdAt.getTime(),
    };
    const templateStatus = checked.decision === 'verified' ? null : checked.decision === 'needs_review' ? 'pending_review' as const : 'dropped';
    // A proof-of-life selfie joins the gallery only on the machine's own verified (match, quality, passive, challenge).
    // One sent to review is kept pending: a reviewer may approve it as a reference, and the poisoning guard decides then.
    const unconfirmed = submission.kind === 'verification' && templateStatus !== null;
    const reviewCandidate = unconfirmed && templateStatus === 'pending_review' && comparison?.candidate && mayBecomeReference(checked)
      ? [comparison.candidate] : [];
    // A consent action's selfie never joins the gallery, and is confirmed by the machine or not at all: no review case,
    // since a doubtful face is sent to the office, where the operator checks the pensioner's papers.
    const consentAction = CONSENT_ACTION_KINDS.includes(submission.kind);
    const templates = consentAction ? [] : templateStatus === 'dropped' || unconfirmed
      ? reviewCandidate
      : (comparison?.templates ?? []).map((t) => (templateStatus ? { ...t, status: templateStatus } : t));
    return {
      status: 'completed',
      decision: consentAction && checked.decision === 'needs_review' ? 'rejected' : checked.decision,
      reasons: checked.reasons,
      result: {
        findings: analyses.map((a) => a.finding), match: comparison?.match ?? null, timings: roundAll(timings),
        ...(documentCheck ? { document: documentCheck } : {}),
        liveness: livenessAnswer(checked),
      },
      newTemplates: templates,
    };
  }

  /** The system's own reads of biometric data are audited like anyone's (Art. 25). */
  private async audited(action: 'image.read' | 'template.read', submission: Submission, targetType: string, targetId: string) {
    await this.deps.audit.record({
      actor: SYSTEM_WORKER, action, purpose: PURPOSE, subjectId: submission.subjectId, targetType, targetId,
      outcome: 'success', details: { submissionId: submission.id },
    });
  }

  /** Opens one stored image (audited), runs the analysis on it, and returns the result with the image's sha256. */
  private async analyseImage<T>(
    submission: Submission, item: StoredItem | undefined, run: (jpeg: Uint8Array) => Promise<T>,
  ): Promise<{ result: T; sha256: string }> {
    if (!item?.blobKey) throw new SubmissionDataError('IMAGE_UNAVAILABLE');
    let jpeg: Buffer | null;
    try {
      jpeg = await this.deps.vault.getImage(submission.subjectId, item.blobKey);
    } catch (error) {
      if (error instanceof AppError) throw new SubmissionDataError(error.code);
      throw error;
    }
    if (!jpeg) throw new SubmissionDataError('IMAGE_UNAVAILABLE');
    await this.audited('image.read', submission, item.itemClass === 'liveness_frame' ? 'liveness_frame' : `${item.role}_image`, item.id);
    try {
      return { result: await run(jpeg), sha256: createHash('sha256').update(jpeg).digest('hex') };
    } catch (error) {
      // Stored images were decoded once at upload; one that fails now is corrupt, not a passing fault.
      if (error instanceof Error && /Input buffer|unsupported image format|corrupt|premature/i.test(error.message)) {
        throw new SubmissionDataError('IMAGE_UNPROCESSABLE');
      }
      throw error;
    }
  }
}

const byRole = (items: readonly StoredItem[], role: 'selfie' | 'document') => items.find((i) => i.role === role && i.blobKey && !i.deletedAt);

/** The challenge frames in the order taken. A frame already deleted makes the response unusable, not shorter. */
function frameItems(items: readonly StoredItem[]): StoredItem[] {
  const frames = items.filter((i) => i.itemClass === 'liveness_frame').sort((a, b) => (a.role ?? '').localeCompare(b.role ?? ''));
  if (frames.some((f) => !f.blobKey || f.deletedAt)) throw new SubmissionDataError('IMAGE_UNAVAILABLE');
  return frames;
}

function failure(code: string): Outcome {
  const message = FAILURE_MESSAGES[code] ?? 'The submission could not be processed.';
  return {
    status: 'failed', decision: null, reasons: [code],
    result: { findings: [], match: null, timings: {}, failure: { code, message } },
    newTemplates: [],
  };
}

const FAILURE_MESSAGES: Record<string, string> = {
  IMAGE_UNAVAILABLE: 'A stored image of this submission is no longer available.',
  CONSENT_WITHDRAWN: 'Consent was withdrawn before processing: nothing was processed and the images are deleted.',
  IMAGE_UNPROCESSABLE: 'A stored image of this submission could not be decoded.',
  DATA_UNREADABLE: 'A stored image of this submission could not be decrypted.',
  SUBJECT_DATA_DESTROYED: "The subject's biometric data has been destroyed.",
  NO_ACTIVE_REFERENCE: 'The subject has no active reference for the current model: re-enrolment is needed.',
  PROCESSING_ERROR: 'Processing failed repeatedly; the submission was given up after its retries.',
};

const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
const roundAll = (t: Record<string, number>) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Math.round(v * 10) / 10]));

