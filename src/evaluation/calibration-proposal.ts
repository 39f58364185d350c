/**
 * Decision thresholds measured from a score set, in the shape of models/calibration.json:
 * verify at the largest distance whose measured FAR is <= 1e-3, review band down to FAR <= 1e-2, and a
 * distance -> FAR table from which a model-independent similarity can be read.
 */
import { operatingPointAt, tarAtFar, type SortedScores } from './metrics.js';

export const VERIFY_FAR = 1e-3;
export const REVIEW_FAR = 1e-2;

/**
 * The similarity shown at the verify threshold, for every model. With the linear mapping decision.ts uses
 * (similarity = 1 - distance / similarityZeroAtDistance), similarityZeroAtDistance = verify / (1 - this) makes
 * "similarity 0.5" mean "FAR 1e-3 measured" whichever model produced the distance.
 */
export const SIMILARITY_AT_VERIFY = 0.5;

/** FARs of the distance -> FAR table (only those the data resolves are written). */
const FAR_TABLE_LEVELS = [0.5, 0.2, 0.1, 0.05, 0.02, 1e-2, 5e-3, 2e-3, 1e-3, 5e-4, 2e-4, 1e-4, 5e-5, 2e-5, 1e-5];

export interface MeasuredPoint {
  readonly far: number;
  readonly tar: number;
  readonly falseAccepts: number;
  readonly impostorPairs: number;
  readonly genuinePairs: number;
}

export interface CalibrationProposal {
  readonly metric: 'euclidean';
  readonly verifyMaxDistance: number;
  readonly reviewMaxDistance: number;
  readonly similarityZeroAtDistance: number;
  readonly source: string;
  readonly calibratedOn: string;
  readonly calibratedAt: string;
  readonly measured: { readonly verify: MeasuredPoint; readonly review: MeasuredPoint };
  /** Ascending distance with the FAR measured there: interpolate in log(FAR) to read any distance. */
  readonly farTable: readonly { readonly distance: number; readonly far: number }[];
}

export type CalibrationOutcome = { readonly ok: true; readonly calibration: CalibrationProposal } | { readonly ok: false; readonly reason: string };

export function proposeCalibration(scores: SortedScores, calibratedOn: string, calibratedAt: Date): CalibrationOutcome {
  const verify = tarAtFar(scores, VERIFY_FAR);
  const review = tarAtFar(scores, REVIEW_FAR);
  if (!verify.resolvable) return { ok: false, reason: `verify threshold: ${verify.reason}` };
  if (!review.resolvable) return { ok: false, reason: `review threshold: ${review.reason}` };
  // Rounded down, so that rounding can only lower the FAR; the measured points are taken at the rounded values.
  const verifyMaxDistance = floor4(verify.threshold);
  const reviewMaxDistance = Math.max(verifyMaxDistance, floor4(review.threshold));
  const measure = (t: number): MeasuredPoint => {
    const p = operatingPointAt(scores, t);
    return { far: p.far, tar: p.tar, falseAccepts: p.falseAccepts, impostorPairs: p.impostorPairs, genuinePairs: p.genuinePairs };
  };
  const farTable = FAR_TABLE_LEVELS.map((far) => tarAtFar(scores, far))
    .filter((p) => p.resolvable)
    .map((p) => ({ distance: round4(p.threshold), far: p.far }))
    .reverse();
  return {
    ok: true,
    calibration: {
      metric: 'euclidean',
      verifyMaxDistance,
      reviewMaxDistance,
      similarityZeroAtDistance: round4(verifyMaxDistance / (1 - SIMILARITY_AT_VERIFY)),
      source: `npm run eval: verify = largest distance with measured FAR <= ${VERIFY_FAR}, review = FAR <= ${REVIEW_FAR}; similarity ${SIMILARITY_AT_VERIFY} = verify threshold`,
      calibratedOn,
      calibratedAt: calibratedAt.toISOString().slice(0, 10),
      measured: { verify: measure(verifyMaxDistance), review: measure(reviewMaxDistance) },
      farTable,
    },
  };
}

const floor4 = (n: number) => Math.floor(n * 10_000) / 10_000;
const round4 = (n: number) => Math.round(n * 10_000) / 10_000;
