/**
 * Which challenge actions a sequence of frames shows, and whether they come in the asked order. Everything is read
 * from the 68 landmarks of the one face in each frame, relative to the person's own neutral values in the same
 * sequence (faces differ: a resting eye aspect ratio of 0.22 is open for one person and half-closed for another).
 */
import type { Point } from '../../engine/face-engine.js';
import { faceGeometry } from '../quality/face-geometry.js';
import type { ChallengeAction } from './challenge.js';

export interface ActionThresholds {
  /** Yaw change from the neutral frames, in degrees, that counts as a head turn. */
  readonly turnDeg: number;
  /** Eyes count as closed below this share of the person's open-eye aspect ratio... */
  readonly closedEyeRatio: number;
  /** ...and below this absolute eye aspect ratio. */
  readonly closedEyeMax: number;
  /** Mouth counts as open above this lip gap over mouth width... */
  readonly mouthOpenMin: number;
  /** ...and this much above the person's closed-mouth value. */
  readonly mouthOpenDelta: number;
}

export const DEFAULT_ACTION_THRESHOLDS: ActionThresholds = {
  turnDeg: 15,
  closedEyeRatio: 0.6,
  closedEyeMax: 0.2,
  mouthOpenMin: 0.3,
  mouthOpenDelta: 0.15,
};

/** What one frame shows, relative to the sequence's neutral values. */
export interface FrameActions {
  readonly index: number;
  readonly yaw: number;
  readonly yawDelta: number;
  readonly eyeOpenness: number;
  readonly mouthOpenness: number;
  readonly actions: readonly ChallengeAction[];
}

export type SequenceVerdict =
  | { readonly ok: true; readonly matchedFrames: readonly number[] }
  | { readonly ok: false; readonly reason: 'CHALLENGE_ACTION_MISSING'; readonly missing: readonly ChallengeAction[] }
  | { readonly ok: false; readonly reason: 'CHALLENGE_ACTION_ORDER'; readonly seen: readonly ChallengeAction[] };

/** Labels each frame (landmarks of its one face) with the actions it shows. */
export function detectActions(frames: readonly (readonly Point[])[], t: ActionThresholds = DEFAULT_ACTION_THRESHOLDS): FrameActions[] {
  const measures = frames.map((landmarks) => {
    const g = faceGeometry(landmarks);
    return { yaw: g.pose.yaw, eye: g.eyeOpenness.mean, mouth: g.mouthOpenness };
  });
  if (measures.length === 0) return [];
  const neutralYaw = median(measures.map((m) => m.yaw));
  const frontal = measures.filter((m) => Math.abs(m.yaw - neutralYaw) < t.turnDeg / 2);
  const reference = frontal.length ? frontal : measures;
  const openEye = quantile(reference.map((m) => m.eye), 0.75);
  const closedMouth = quantile(reference.map((m) => m.mouth), 0.25);
  const eyesClosedBelow = Math.min(t.closedEyeMax, openEye * t.closedEyeRatio);
  return measures.map((m, index) => {
    const yawDelta = m.yaw - neutralYaw;
    const actions: ChallengeAction[] = [];
    // Positive yaw is the person's own left (face-geometry's convention).
    if (yawDelta >= t.turnDeg) actions.push('turn_left');
    if (yawDelta <= -t.turnDeg) actions.push('turn_right');
    // Landmarks of the eyes are unreliable on a turned head: a blink only counts on a frontal frame.
    if (Math.abs(yawDelta) < t.turnDeg / 2 && m.eye < eyesClosedBelow) actions.push('blink');
    if (m.mouth >= t.mouthOpenMin && m.mouth - closedMouth >= t.mouthOpenDelta) actions.push('open_mouth');
    return { index, yaw: m.yaw, yawDelta: round(yawDelta), eyeOpenness: round(m.eye), mouthOpenness: round(m.mouth), actions };
  });
}

/**
 * The asked actions must appear in this order, each in a later frame than the one before. When they do not, the
 * answer says whether an action never appeared (the person did not do it, or the camera did not see it) or all
 * appeared in another order (the person, or a replayed recording, did something else).
 */
export function matchSequence(asked: readonly ChallengeAction[], frames: readonly FrameActions[]): SequenceVerdict {
  const matched: number[] = [];
  let from = 0;
  for (const action of asked) {
    const hit = frames.findIndex((f, k) => k >= from && f.actions.includes(action));
    if (hit < 0) break;
    matched.push(hit);
    from = hit + 1;
  }
  if (matched.length === asked.length) return { ok: true, matchedFrames: matched };
  const missing = asked.filter((action) => !frames.some((f) => f.actions.includes(action)));
  if (missing.length) return { ok: false, reason: 'CHALLENGE_ACTION_MISSING', missing };
  const seen: ChallengeAction[] = [];
  for (const f of frames) for (const a of f.actions) if (asked.includes(a) && seen[seen.length - 1] !== a) seen.push(a);
  return { ok: false, reason: 'CHALLENGE_ACTION_ORDER', seen };
}

function median(values: readonly number[]): number {
  return quantile(values, 0.5);
}

function quantile(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return 0;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * (pos - lo);
}

const round = (v: number) => Math.round(v * 1000) / 1000;
