/**
 * Everything liveness and quality add to one submission, in one call for the worker: the quality gate on the
 * selfie, passive PAD on its face, the challenge response (if any), replay and reuse flags, the attempt limit, and
 * the final decision. The caller has decoded the images and run the face engine on them; this class holds no
 * tfjs and no pixels beyond the call.
 */
import type { FaceFinding, RgbImage } from '../../engine/face-engine.js';
import type { PadModel } from '../../engine/pad/pad-model.js';
import { assessQuality, type QualityReport } from '../quality/quality-assessment.js';
import type { QualityThresholds } from '../quality/quality-thresholds.js';
import type { Decision, LivenessSummary, SubmissionKind } from '../submissions/submission.js';
import type { UnitOfWork } from '../unit-of-work.js';
import type { AttemptLimiter } from './attempt-limiter.js';
import { verifyChallenge, type ChallengeFrame, type ChallengeRules, type ChallengeVerification } from './challenge-verification.js';
import { fingerprintImage } from './image-fingerprint.js';
import { decideWithLiveness, isFailedAttempt, type DecisionPolicy } from './liveness-decision.js';
import type { LivenessPorts } from './liveness-ports.js';
import { assessLiveness, type LivenessAssessment, type PadCalibration } from './passive-pad.js';
import { padSignals } from './pad-signals.js';
import type { ReplayChecker, ReplayFindings, SubmittedImage } from './replay-check.js';

/** One decoded image with the faces the engine found in it. */
export interface AnalysedImage {
  readonly rgb: RgbImage;
  readonly faces: readonly FaceFinding[];
  /** sha256 of the stored image bytes. */
  readonly sha256: string;
}

export interface AssessInput {
  readonly submissionId: string;
  readonly subjectId: string;
  readonly kind: SubmissionKind;
  readonly selfie: AnalysedImage;
  /** The face the match used (null when the selfie was rejected). */
  readonly selfieFace: FaceFinding | null;
  /** Challenge frames in the order they were sent; empty when the submission carried none. */
  readonly frames: readonly AnalysedImage[];
  /** The match decision as made without liveness. */
  readonly match: { readonly decision: Decision; readonly reasons: readonly string[] };
}

/** What goes into the submission's answer, beside the decision. */
export interface LivenessResult {
  readonly decision: Decision;
  readonly reasons: readonly string[];
  readonly quality: QualityReport;
  readonly liveness: LivenessAssessment | null;
  readonly challenge: (Omit<ChallengeVerification, 'frames'> & { readonly frames: ChallengeVerification['frames'] }) | null;
  readonly replay: ReplayFindings;
  readonly lockout: { readonly lockedUntil: string } | null;
}

export interface AssessorDeps {
  readonly uow: UnitOfWork<Pick<LivenessPorts, 'livenessChallenges'>>;
  readonly pad: Pick<PadModel, 'score'>;
  readonly calibration: PadCalibration;
  readonly quality: QualityThresholds;
  readonly challenge: ChallengeRules;
  readonly decision: DecisionPolicy;
  readonly limiter: AttemptLimiter;
  readonly replay: ReplayChecker;
  readonly now: () => Date;
}

export class LivenessAssessor {
  constructor(private readonly deps: AssessorDeps) {}

  async assess(input: AssessInput): Promise<LivenessResult> {
    const quality = assessQuality(input.selfie.rgb, input.selfie.faces, this.deps.quality);
    const liveness = input.selfieFace ? await this.passive(input.selfie.rgb, input.selfieFace) : null;
    const challenge = await this.challenge(input);

    // The document photo is not compared here: whole-page hashes of two different passports of one design are a few
    // bits apart (docs/DOCUMENTS.md). Its reuse across subjects is the document registry's check (portrait region
    // and page together, DOCUMENT_IMAGE_REUSED).
    const images: SubmittedImage[] = [
      { role: 'selfie', ...hashOf(input.selfie) },
      ...input.frames.map((f, k) => ({ role: `frame-${String(k).padStart(2, '0')}`, ...hashOf(f) })),
    ];
    const replay = await this.deps.replay.check(input.subjectId, input.submissionId, images);
    await this.deps.replay.record(input.subjectId, input.submissionId, images, this.deps.now());

    // A consent withdrawal from the phone is a face check like a proof of life: refused while locked out, and a failed
    // one counts (per subject, and per phone through its device credential), so a thief cannot try faces without end.
    const counted = input.kind !== 'enrollment';
    const locked = counted ? await this.deps.limiter.activeLockout(input.subjectId) : null;
    const decided = decideWithLiveness({
      match: input.match, quality, liveness, challenge, replay: replay.reasons, lockedOut: locked !== null,
    }, input.kind === 'verification' ? this.deps.decision : { ...this.deps.decision, requireChallenge: false });

    let lockout = locked;
    if (counted && isFailedAttempt(decided.decision, decided.reasons)) {
      lockout = await this.deps.limiter.recordFailure(input.subjectId, input.submissionId, decided.reasons);
    }
    return {
      ...decided, quality, liveness, challenge, replay,
      lockout: lockout ? { lockedUntil: lockout.lockedUntil.toISOString() } : null,
    };
  }

  private async passive(rgb: RgbImage, face: FaceFinding): Promise<LivenessAssessment> {
    const models = await this.deps.pad.score(rgb, face.box);
    return assessLiveness(padSignals(rgb, face, models), this.deps.calibration);
  }

  private async challenge(input: AssessInput): Promise<ChallengeVerification | null> {
    const repo = this.deps.uow.ports.livenessChallenges;
    const presented = await repo.forSubmission(input.submissionId);
    if (!presented && input.frames.length === 0) return null;
    const challenge = presented?.challengeId ? await repo.findById(presented.challengeId) : null;
    const frames: ChallengeFrame[] = input.frames.map((f) => ({ faces: f.faces, fingerprint: fingerprintImage(f.rgb), sha256: f.sha256 }));
    return verifyChallenge({
      nonce: presented?.nonceState ?? 'unknown', challenge, frames, selfieEmbedding: input.selfieFace?.embedding ?? null,
    }, this.deps.challenge);
  }
}

function hashOf(image: AnalysedImage): { phash: string; sha256: string } {
  return { phash: fingerprintImage(image.rgb).phash, sha256: image.sha256 };
}

/**
 * The liveness part of a submission's stored result and answer: codes, measures and scores only, never pixels or
 * embeddings (the texture histograms of the passive check stay out: they say nothing a reviewer can use).
 */
export function livenessAnswer(r: LivenessResult): LivenessSummary {
  return {
    quality: { pass: r.quality.pass, findings: r.quality.findings, components: r.quality.components && { ...r.quality.components } },
    liveness: r.liveness && {
      score: r.liveness.score, verdict: r.liveness.verdict, thresholds: r.liveness.thresholds,
      models: { antispoof: round(r.liveness.signals.antispoof), liveness: round(r.liveness.signals.liveness) },
    },
    challenge: r.challenge && {
      pass: r.challenge.pass, reasons: r.challenge.reasons, actions: r.challenge.actions, details: r.challenge.details,
      frames: r.challenge.frames.map((f) => ({ index: f.index, yaw: f.yaw, yawDelta: f.yawDelta, eyeOpenness: f.eyeOpenness, mouthOpenness: f.mouthOpenness, actions: f.actions })),
    },
    replay: r.replay,
    lockout: r.lockout,
  };
}

const round = (v: number) => Math.round(v * 1000) / 1000;
