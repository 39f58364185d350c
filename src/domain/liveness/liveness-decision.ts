/**
 * The final decision of a submission once quality and liveness join the face match. Verified only when every check
 * that applies has run and passed; a failure the person can fix is `rejected` with the codes the app shows; any
 * sign of an attack, or doubt, is `needs_review`. Nothing is dropped: every reason found is listed.
 */
import type { Decision } from '../submissions/submission.js';
import type { QualityReport } from '../quality/quality-assessment.js';
import type { ChallengeVerification } from './challenge-verification.js';
import type { LivenessAssessment } from './passive-pad.js';

/** Codes a person can act on: retake the photo, redo the movements, ask for a new challenge. */
const FIXABLE = new Set<string>([
  'CHALLENGE_NONCE_UNKNOWN', 'CHALLENGE_NONCE_EXPIRED', 'CHALLENGE_FRAME_COUNT', 'CHALLENGE_FACE_MISSING',
  'CHALLENGE_MULTIPLE_FACES', 'CHALLENGE_ACTION_MISSING', 'CHALLENGE_ACTION_ORDER', 'LIVENESS_CHALLENGE_REQUIRED',
]);

/** Signs of an attack: a person must look, whatever else was found. */
const SUSPICIOUS = new Set<string>([
  'CHALLENGE_NONCE_REUSED', 'CHALLENGE_WRONG_SUBJECT', 'CHALLENGE_FRAME_REPEATED', 'CHALLENGE_PERSON_CHANGED',
  'CHALLENGE_SELFIE_MISMATCH', 'REPLAY_IMAGE_REUSED', 'REPLAY_FRAME_SET_REUSED',
  'ATTEMPTS_LOCKED_OUT',
]);

/** Doubt without a fixable cause. */
const DOUBTFUL = new Set<string>(['PAD_ATTACK_SUSPECTED', 'PAD_UNCERTAIN', 'LIVENESS_NOT_ASSESSED']);

export interface DecisionInputs {
  /** The face match (or the selfie problem) as decided without liveness: decideMatch's output or a selfie rejection. */
  readonly match: { readonly decision: Decision; readonly reasons: readonly string[] };
  /** The quality gate on the selfie; null when it was not run. */
  readonly quality: QualityReport | null;
  /** Passive PAD on the selfie; null when it was not run. */
  readonly liveness: LivenessAssessment | null;
  /** The active challenge; null when the submission carried none. */
  readonly challenge: ChallengeVerification | null;
  /** Replay findings (REPLAY_*). */
  readonly replay?: readonly string[];
  /** True when the subject is locked out after too many failed attempts. */
  readonly lockedOut?: boolean;
}

export interface DecisionPolicy {
  /** A verification without an active challenge cannot be verified (it goes to review). */
  readonly requireChallenge: boolean;
  /** Passive PAD must have run for `verified` (a missing score is doubt, never a pass). */
  readonly requirePassive: boolean;
}

export interface FinalDecision {
  readonly decision: Decision;
  /** The reason that decided first, then every other reason found. */
  readonly reasons: readonly string[];
}

export function decideWithLiveness(input: DecisionInputs, policy: DecisionPolicy): FinalDecision {
  const quality = input.quality?.findings.filter((f) => f.severity === 'fail').map((f) => f.code) ?? [];
  const reasons = unique([
    ...(input.lockedOut ? ['ATTEMPTS_LOCKED_OUT'] : []),
    ...(input.replay ?? []),
    ...(input.challenge?.reasons ?? []),
    ...quality,
    ...(input.liveness?.reasons ?? []),
    ...(policy.requireChallenge && !input.challenge ? ['LIVENESS_CHALLENGE_REQUIRED'] : []),
    // Without a usable face there is nothing to assess, and the match is already a rejection: no extra doubt to list.
    ...(policy.requirePassive && !input.liveness && input.match.decision !== 'rejected' ? ['LIVENESS_NOT_ASSESSED'] : []),
    ...input.match.reasons,
  ]);
  const first = (predicate: (code: string) => boolean) => reasons.filter(predicate);
  const ordered = (lead: readonly string[]) => unique([...lead, ...reasons]);

  // 1. Attack signs: a person looks, even when the photo also needs retaking.
  const suspicious = first((c) => SUSPICIOUS.has(c));
  if (suspicious.length) return { decision: 'needs_review', reasons: ordered(suspicious) };
  // 2. What the person can fix: retake, redo, fetch a new challenge. The match on a bad photo means little.
  const fixable = first((c) => FIXABLE.has(c) || c.startsWith('QUALITY_') || c.startsWith('SELFIE_'));
  if (fixable.length) return { decision: 'rejected', reasons: ordered(fixable) };
  // 3. Another person's face stays a rejection, with any liveness doubt listed after it.
  if (input.match.decision === 'rejected') return { decision: 'rejected', reasons: ordered(input.match.reasons) };
  // 4. Doubt: the passive check is unsure or suspects an attack, or could not run.
  const doubtful = first((c) => DOUBTFUL.has(c));
  if (doubtful.length) return { decision: 'needs_review', reasons: ordered(doubtful) };
  if (input.match.decision === 'needs_review') return { decision: 'needs_review', reasons: ordered(input.match.reasons) };
  // 5. Verified only with every required check present and passed.
  const allPassed = input.match.decision === 'verified'
    && (input.quality?.pass ?? true)
    && (input.liveness?.pass ?? !policy.requirePassive)
    && (input.challenge?.pass ?? !policy.requireChallenge);
  if (allPassed) return { decision: 'verified', reasons: ordered(input.match.reasons) };
  // A check failed without a known code: never a silent pass.
  return { decision: 'needs_review', reasons: ordered(['LIVENESS_NOT_ASSESSED']) };
}

/** Whether a decided submission counts as a failed attempt for the retry limit. */
export function isFailedAttempt(decision: Decision, reasons: readonly string[]): boolean {
  return decision !== 'verified' && !reasons.includes('ATTEMPTS_LOCKED_OUT');
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}
