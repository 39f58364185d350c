import type { ModelCalibration } from '../../config/calibration.js';
import type { Decision } from '../submissions/submission.js';
import { decideMatch, type MatchReason } from './decision.js';
import { fuseDistances, type FusionRule } from './gallery-fusion.js';

/** How a gallery was decided: the rule, its size, and the thresholds calibrated for that size. */
export interface GalleryVerdict {
  readonly decision: Decision;
  readonly reason: MatchReason;
  readonly fusedDistance: number;
  readonly rule: FusionRule;
  readonly gallerySize: number;
  /** The size whose thresholds were used (the largest calibrated one for a larger gallery); null: single-pair thresholds. */
  readonly calibratedSize: number | null;
  /** The model's calibration with this size's thresholds, so similarity and FAR read the fused distance alike. */
  readonly calibration: ModelCalibration;
}

/**
 * The thresholds for a gallery of `size` references. Without a gallery calibration the decision is the one the
 * model was calibrated for, a single pair: the closest reference decides.
 */
export function calibrationForSize(calibration: ModelCalibration, size: number): { rule: FusionRule; calibratedSize: number | null; calibration: ModelCalibration } {
  const gallery = calibration.gallery;
  if (!gallery) return { rule: 'min', calibratedSize: null, calibration };
  const sizes = Object.keys(gallery.sizes).map(Number).sort((a, b) => a - b);
  const calibratedSize = [...sizes].reverse().find((s) => s <= size) ?? (sizes[0] as number);
  const entry = gallery.sizes[String(calibratedSize)]!;
  return {
    rule: gallery.rule,
    calibratedSize,
    calibration: {
      ...calibration,
      verifyMaxDistance: entry.verifyMaxDistance,
      reviewMaxDistance: entry.reviewMaxDistance,
      similarityZeroAtDistance: 2 * entry.verifyMaxDistance,
      // The model's FAR table was measured on single pairs; a fused distance has its own, or none.
      farTable: entry.farTable,
    },
  };
}

/** Fuses the probe's distances to every reference and decides with the thresholds of that gallery size. */
export function decideOnGallery(distances: readonly number[], calibration: ModelCalibration): GalleryVerdict {
  const sized = calibrationForSize(calibration, distances.length);
  const fusedDistance = fuseDistances(distances, sized.rule);
  const { decision, reason } = decideMatch(fusedDistance, sized.calibration);
  return { decision, reason, fusedDistance, rule: sized.rule, gallerySize: distances.length, calibratedSize: sized.calibratedSize, calibration: sized.calibration };
}

/**
 * The poisoning guard: a proof-of-life selfie may join the gallery only if it verifies against the enrolment's
 * anchors alone, so that an impostor who once got through on recent references cannot pull the gallery further.
 */
export function verifiesAgainstAnchors(anchorDistances: readonly number[], calibration: ModelCalibration): boolean {
  if (!anchorDistances.length) return false;
  return decideOnGallery(anchorDistances, calibration).decision === 'verified';
}
