/**
 * Checks a challenge response: the nonce (as redeemed at upload), the frames (one face each, none repeated, one
 * and the same person, the same person as the selfie) and the actions (all of them, in the asked order). Every
 * failed check adds its own reason code; nothing is skipped silently.
 */
import type { FaceFinding } from '../../engine/face-engine.js';
import { euclideanDistance } from '../verification/decision.js';
import { detectActions, matchSequence, DEFAULT_ACTION_THRESHOLDS, type ActionThresholds, type FrameActions } from './action-detection.js';
import type { ChallengeAction, LivenessChallenge } from './challenge.js';
import { thumbnailDifference, type ImageFingerprint } from './image-fingerprint.js';

/** How the nonce fared when the submission redeemed it (decided once, atomically, at upload). */
export type NonceState = 'ok' | 'unknown' | 'expired' | 'used' | 'wrong_subject';

export const CHALLENGE_REASONS = [
  'CHALLENGE_NONCE_UNKNOWN',
  'CHALLENGE_NONCE_EXPIRED',
  'CHALLENGE_NONCE_REUSED',
  'CHALLENGE_WRONG_SUBJECT',
  'CHALLENGE_FRAME_COUNT',
  'CHALLENGE_FACE_MISSING',
  'CHALLENGE_MULTIPLE_FACES',
  'CHALLENGE_FRAME_REPEATED',
  'CHALLENGE_PERSON_CHANGED',
  'CHALLENGE_SELFIE_MISMATCH',
  'CHALLENGE_ACTION_MISSING',
  'CHALLENGE_ACTION_ORDER',
] as const;
export type ChallengeReason = (typeof CHALLENGE_REASONS)[number];

const NONCE_REASONS: Readonly<Record<Exclude<NonceState, 'ok'>, ChallengeReason>> = {
  unknown: 'CHALLENGE_NONCE_UNKNOWN',
  expired: 'CHALLENGE_NONCE_EXPIRED',
  used: 'CHALLENGE_NONCE_REUSED',
  wrong_subject: 'CHALLENGE_WRONG_SUBJECT',
};

/** One frame as the worker saw it. */
export interface ChallengeFrame {
  readonly faces: readonly FaceFinding[];
  readonly fingerprint: ImageFingerprint;
  /** sha256 of the uploaded bytes: equal hashes are the same file sent twice. */
  readonly sha256?: string;
}

export interface ChallengeEvidence {
  readonly nonce: NonceState;
  /** The redeemed challenge; null when the nonce matched none. */
  readonly challenge: LivenessChallenge | null;
  readonly frames: readonly ChallengeFrame[];
  /** The selfie's face embedding, when the selfie had a usable face. */
  readonly selfieEmbedding: Float32Array | null;
}

export interface ChallengeRules {
  readonly minFrames: number;
  readonly maxFrames: number;
  readonly actions: ActionThresholds;
  /**
   * Largest embedding distance still "the same person" between frames and against the selfie. Frames include
   * turned heads, so this is the engine's review threshold, not its verify threshold.
   */
  readonly samePersonMaxDistance: number;
  /** Thumbnails closer than this (mean absolute luma difference) are the same frame sent twice. */
  readonly repeatMaxDifference: number;
  /** A second face at least this share of the main face's area makes a frame ambiguous. */
  readonly rivalAreaRatio: number;
}

export const DEFAULT_CHALLENGE_RULES: Omit<ChallengeRules, 'samePersonMaxDistance'> = {
  minFrames: 3, maxFrames: 12, actions: DEFAULT_ACTION_THRESHOLDS, repeatMaxDifference: 1.0, rivalAreaRatio: 0.35,
};

export interface ChallengeVerification {
  readonly pass: boolean;
  readonly reasons: readonly ChallengeReason[];
  readonly actions: readonly ChallengeAction[];
  /** Per frame: what was read from it (no pixels, no embeddings). */
  readonly frames: readonly FrameActions[];
  readonly details: {
    readonly missingActions?: readonly ChallengeAction[];
    readonly seenOrder?: readonly ChallengeAction[];
    readonly repeatedFrames?: readonly (readonly [number, number])[];
    readonly framesWithoutFace?: readonly number[];
    readonly framesOfAnotherPerson?: readonly number[];
    readonly selfieDistance?: number;
  };
}

/** Verifies one response. Pure: the nonce was redeemed (and so spent) before this runs. */
export function verifyChallenge(evidence: ChallengeEvidence, rules: ChallengeRules): ChallengeVerification {
  const reasons: ChallengeReason[] = [];
  const details: Record<string, unknown> = {};
  if (evidence.nonce !== 'ok') reasons.push(NONCE_REASONS[evidence.nonce]);
  const actions = evidence.challenge?.actions ?? [];
  const frames = evidence.frames;
  if (frames.length < rules.minFrames || frames.length > rules.maxFrames) reasons.push('CHALLENGE_FRAME_COUNT');

  // One face per frame.
  const faces = frames.map((frame) => singleFace(frame.faces, rules.rivalAreaRatio));
  const without = faces.flatMap((f, k) => (f === 'none' ? [k] : []));
  if (without.length) {
    reasons.push('CHALLENGE_FACE_MISSING');
    details['framesWithoutFace'] = without;
  }
  if (faces.includes('several')) reasons.push('CHALLENGE_MULTIPLE_FACES');

  // No frame sent twice.
  const repeated: [number, number][] = [];
  for (let i = 0; i < frames.length; i++) {
    for (let j = i + 1; j < frames.length; j++) {
      const a = frames[i] as ChallengeFrame;
      const b = frames[j] as ChallengeFrame;
      const sameFile = a.sha256 !== undefined && a.sha256 === b.sha256;
      if (sameFile || thumbnailDifference(a.fingerprint.thumb, b.fingerprint.thumb) < rules.repeatMaxDifference) repeated.push([i, j]);
    }
  }
  if (repeated.length) {
    reasons.push('CHALLENGE_FRAME_REPEATED');
    details['repeatedFrames'] = repeated;
  }

  // One and the same person, and the selfie's.
  const usable = faces.flatMap((f, k) => (typeof f === 'object' ? [{ index: k, face: f }] : []));
  if (usable.length >= 2) {
    const anchor = consensusFace(usable.map((u) => u.face.embedding));
    const others = usable.filter((u) => euclideanDistance(u.face.embedding, anchor) > rules.samePersonMaxDistance).map((u) => u.index);
    if (others.length) {
      reasons.push('CHALLENGE_PERSON_CHANGED');
      details['framesOfAnotherPerson'] = others;
    }
    if (evidence.selfieEmbedding) {
      const distance = euclideanDistance(anchor, evidence.selfieEmbedding);
      details['selfieDistance'] = Math.round(distance * 1000) / 1000;
      if (distance > rules.samePersonMaxDistance) reasons.push('CHALLENGE_SELFIE_MISMATCH');
    }
  }

  // The actions, in order, on the frames that have a face.
  const labelled = detectActions(usable.map((u) => u.face.landmarks), rules.actions).map((f, k) => ({ ...f, index: usable[k]?.index ?? k }));
  if (evidence.challenge) {
    const verdict = matchSequence(actions, labelled);
    if (!verdict.ok) {
      reasons.push(verdict.reason);
      if (verdict.reason === 'CHALLENGE_ACTION_MISSING') details['missingActions'] = verdict.missing;
      else details['seenOrder'] = verdict.seen;
    }
  }
  return { pass: reasons.length === 0, reasons, actions, frames: labelled, details };
}

function singleFace(faces: readonly FaceFinding[], rivalAreaRatio: number): FaceFinding | 'none' | 'several' {
  const area = (f: FaceFinding) => f.box.width * f.box.height;
  const [main, rival] = [...faces].sort((a, b) => area(b) - area(a));
  if (!main) return 'none';
  if (rival && area(rival) >= rivalAreaRatio * area(main)) return 'several';
  return main;
}

/** The embedding with the smallest median distance to the others: one odd frame cannot pull it away. */
function consensusFace(embeddings: readonly Float32Array[]): Float32Array {
  let best = embeddings[0] as Float32Array;
  let bestScore = Infinity;
  for (const candidate of embeddings) {
    const distances = embeddings.filter((e) => e !== candidate).map((e) => euclideanDistance(candidate, e)).sort((a, b) => a - b);
    const score = distances[Math.floor((distances.length - 1) / 2)] ?? 0;
    if (score < bestScore) {
      bestScore = score;
      best = candidate;
    }
  }
  return best;
}
