import { qualityRoutes } from '../../api/routes/quality.routes.js';
import { qualityThresholds } from '../../domain/quality/quality-thresholds.js';
import type { Platform } from '../platform.js';
import { QualityThreadPool } from '../quality-threads.js';

/** The photo quality check: this deployment's thresholds, and the threads that run the check for the API. */
export function createQualityModule(platform: Platform) {
  const { config, logger } = platform;
  const thresholds = qualityThresholds({
    minInterEyePx: config.QUALITY_MIN_INTER_EYE_PX, minFaceHeightRatio: config.QUALITY_MIN_FACE_HEIGHT_RATIO, maxFaceHeightRatio: config.QUALITY_MAX_FACE_HEIGHT_RATIO,
    maxOutsideRatio: config.QUALITY_MAX_OUTSIDE_RATIO, minLuminance: config.QUALITY_MIN_LUMINANCE, maxLuminance: config.QUALITY_MAX_LUMINANCE,
    maxUnderExposed: config.QUALITY_MAX_UNDEREXPOSED, maxOverExposed: config.QUALITY_MAX_OVEREXPOSED, minContrast: config.QUALITY_MIN_CONTRAST,
    minSharpness: config.QUALITY_MIN_SHARPNESS, maxYawDeg: config.QUALITY_MAX_YAW_DEG, maxPitchDeg: config.QUALITY_MAX_PITCH_DEG,
    maxRollDeg: config.QUALITY_MAX_ROLL_DEG, minEyeOpenness: config.QUALITY_MIN_EYE_OPENNESS,
  });
  // The check's engine runs on threads of the API process, started on first use (no thread in a worker role).
  const check = new QualityThreadPool({
    engine: { backend: config.ENGINE_BACKEND, detector: config.ENGINE_DETECTOR, minDetectionScore: config.ENGINE_MIN_DETECTION_SCORE },
    thresholds, threads: config.QUALITY_CHECK_THREADS, queue: config.QUALITY_CHECK_QUEUE, timeoutMs: config.QUALITY_CHECK_TIMEOUT_MS,
  }, logger);
  return { thresholds, check, routes: qualityRoutes({ quality: check, normalizeImage: platform.normalizeImage }), close: () => check.close() };
}

export type QualityModule = ReturnType<typeof createQualityModule>;
