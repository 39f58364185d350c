/**
 * The one place that turns engine configuration into a FaceEngine, so callers never name an
 * implementation and another engine (e.g. a larger embedding model) can be added beside face-api.
 */
import { createFaceApiEngine, type FaceApiEngineOptions } from './face-api.engine.js';
import type { FaceEngine } from './face-engine.js';

/** Engine configuration; today only face-api exists, so its options are the whole configuration. */
export type EngineConfig = FaceApiEngineOptions;

/** Builds, verifies and warms up the configured engine; rejects if its models cannot be trusted or loaded. */
export function createEngine(config: EngineConfig): Promise<FaceEngine> {
  return createFaceApiEngine(config);
}
