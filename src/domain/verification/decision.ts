import type { ModelCalibration } from '../../config/calibration.js';
import type { Decision } from '../submissions/submission.js';

export type MatchReason = 'FACE_MATCH' | 'FACE_MATCH_UNCERTAIN' | 'FACE_MISMATCH';

export function euclideanDistance(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) throw new Error(`Embedding sizes differ: ${a.length} vs ${b.length}`);
  let sum = 0;
  for (let i = 0; i < a.length; i += 1) {
    const d = (a[i] as number) - (b[i] as number);
    sum += d * d;
  }
  return Math.sqrt(sum);
}

/** Maps a model's raw distance onto [0, 1] (1 = identical) so that scores read alike across models. */
export function similarityOf(distance: number, calibration: ModelCalibration): number {
  const s = 1 - distance / calibration.similarityZeroAtDistance;
  return Math.round(Math.min(1, Math.max(0, s)) * 10_000) / 10_000;
}

/**
 * How often an impostor comes this close, read off the model's measured FAR table (log-linear between the measured
 * points). Outside the table only a bound is honest: below its first distance the FAR is at most the smallest one
 * measured, past its last at least the largest. Null for a model calibrated without a table.
 */
export function estimatedFarOf(distance: number, calibration: ModelCalibration): EstimatedFar | null {
  const table = calibration.farTable;
  if (!table?.length) return null;
  const first = table[0]!;
  const last = table[table.length - 1]!;
  if (distance <= first.distance) return { far: first.far, bound: 'at_most' };
  if (distance >= last.distance) return { far: last.far, bound: 'at_least' };
  const upper = table.findIndex((p) => p.distance >= distance);
  const a = table[upper - 1]!;
  const b = table[upper]!;
  const t = (distance - a.distance) / (b.distance - a.distance);
  const far = 10 ** (Math.log10(a.far) + t * (Math.log10(b.far) - Math.log10(a.far)));
  return { far: Number(far.toPrecision(2)), bound: 'about' };
}

/** A false-accept rate estimate with how far to trust it. */
export interface EstimatedFar {
  readonly far: number;
  readonly bound: 'at_most' | 'about' | 'at_least';
}

/** verified at or under the verify threshold; needs_review in the band up to the review threshold; else rejected. */
export function decideMatch(distance: number, calibration: ModelCalibration): { decision: Decision; reason: MatchReason } {
  if (distance <= calibration.verifyMaxDistance) return { decision: 'verified', reason: 'FACE_MATCH' };
  if (distance <= calibration.reviewMaxDistance) return { decision: 'needs_review', reason: 'FACE_MATCH_UNCERTAIN' };
  return { decision: 'rejected', reason: 'FACE_MISMATCH' };
}

export function thresholdsOf(calibration: ModelCalibration) {
  return {
    verifyMinSimilarity: similarityOf(calibration.verifyMaxDistance, calibration),
    reviewMinSimilarity: similarityOf(calibration.reviewMaxDistance, calibration),
    verifyMaxDistance: calibration.verifyMaxDistance,
    reviewMaxDistance: calibration.reviewMaxDistance,
  };
}
