/**
 * Where the capture-quality gate draws its lines. Defaults were measured on real photos (docs/LIVENESS.md,
 * "Quality thresholds"): each sits outside what ordinary usable selfies and LFW news photos produce, and inside
 * what the made-worse variants (darkened, blurred, rotated, shrunk) produce. Override them per deployment through
 * the QUALITY_* settings of src/config/env.ts.
 */
import { z } from 'zod';

export interface QualityThresholds {
  /** Inter-eye distance (eye centre to eye centre) below which the face has too few pixels: LOW_RESOLUTION. */
  readonly minInterEyePx: number;
  /** Face height (brows to chin) over image height below which the person is too far: FACE_TOO_SMALL. */
  readonly minFaceHeightRatio: number;
  /** Face height over image height above which the phone is too close: FACE_TOO_CLOSE. */
  readonly maxFaceHeightRatio: number;
  /** Share of the head (face plus forehead and a margin) allowed outside the image before FACE_CUT_OFF. */
  readonly maxOutsideRatio: number;
  /** Mean luma (0-255) of the face below which the photo is TOO_DARK. */
  readonly minLuminance: number;
  /** Mean luma of the face above which it is TOO_BRIGHT. */
  readonly maxLuminance: number;
  /** Share of face pixels clipped dark (luma <= 25) above which it is TOO_DARK (under-exposure). */
  readonly maxUnderExposed: number;
  /** Share of face pixels clipped bright (luma >= 245) above which it is TOO_BRIGHT (over-exposure, glare). */
  readonly maxOverExposed: number;
  /** Luma standard deviation of the face below which it looks hazy: LOW_CONTRAST (a warning only). */
  readonly minContrast: number;
  /** Normalised Laplacian sharpness of the face below which it is BLURRY. */
  readonly minSharpness: number;
  /** Largest |yaw| in degrees before HEAD_TURNED. */
  readonly maxYawDeg: number;
  /** Largest |pitch| in degrees (after the neutral offset) before HEAD_PITCHED. */
  readonly maxPitchDeg: number;
  /** Largest |roll| in degrees before HEAD_TILTED. */
  readonly maxRollDeg: number;
  /** Eye aspect ratio (mean of both eyes) below which the eyes count as closed: EYES_CLOSED. */
  readonly minEyeOpenness: number;
  /** A second face at least this share of the main face's area makes the photo ambiguous: MULTIPLE_FACES. */
  readonly rivalAreaRatio: number;
}

export const DEFAULT_QUALITY_THRESHOLDS: QualityThresholds = {
  minInterEyePx: 28,
  minFaceHeightRatio: 0.12,
  maxFaceHeightRatio: 0.8,
  maxOutsideRatio: 0.1,
  minLuminance: 60,
  maxLuminance: 215,
  maxUnderExposed: 0.35,
  maxOverExposed: 0.2,
  minContrast: 14,
  minSharpness: 0.03,
  maxYawDeg: 30,
  maxPitchDeg: 25,
  maxRollDeg: 20,
  minEyeOpenness: 0.15,
  rivalAreaRatio: 0.35,
};

const ratio = z.number().min(0).max(1);
const degrees = z.number().min(0).max(90);

/** The thresholds as a schema: configuration parses overrides with it, so a bad value stops the start. */
export const qualityThresholdsSchema = z.object({
  minInterEyePx: z.number().positive(),
  minFaceHeightRatio: ratio,
  maxFaceHeightRatio: ratio,
  maxOutsideRatio: ratio,
  minLuminance: z.number().min(0).max(255),
  maxLuminance: z.number().min(0).max(255),
  maxUnderExposed: ratio,
  maxOverExposed: ratio,
  minContrast: z.number().min(0).max(128),
  minSharpness: z.number().min(0),
  maxYawDeg: degrees,
  maxPitchDeg: degrees,
  maxRollDeg: degrees,
  minEyeOpenness: z.number().min(0).max(1),
  rivalAreaRatio: ratio,
}).refine((t) => t.minFaceHeightRatio < t.maxFaceHeightRatio && t.minLuminance < t.maxLuminance, {
  message: 'each minimum must be below its maximum',
});

/** Defaults with the given overrides, validated. */
export function qualityThresholds(overrides: Partial<QualityThresholds> = {}): QualityThresholds {
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
  return qualityThresholdsSchema.parse({ ...DEFAULT_QUALITY_THRESHOLDS, ...defined });
}
