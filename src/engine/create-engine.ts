/**
 * The one place that turns engine configuration into a FaceEngine, so callers never name an implementation.
 * `model` selects the pipeline; its name is also the engine's `info.model`, the key of its thresholds in
 * models/calibration.json (see models/README.md for how the candidates compare).
 */
import { createFaceApiEngine, type FaceApiEngineOptions } from './face-api.engine.js';
import type { FaceEngine } from './face-engine.js';
import { createHumanEngine, type HumanEngineOptions } from './human.engine.js';
import { packageVersion } from './model-manifest.js';

/** Pipelines the configuration can name (ENGINE_MODEL). */
export const ENGINE_MODELS = ['faceapi-frnet-128', 'human-faceapi-frnet-5pt', 'human-faceres-5pt', 'human-faceres'] as const;
export type EngineModel = (typeof ENGINE_MODELS)[number];

export const isEngineModel = (value: string): value is EngineModel => (ENGINE_MODELS as readonly string[]).includes(value);

/** The `info.version` an engine of this pipeline reports, known without loading it: its library's package version. */
export function engineVersion(model: EngineModel): string {
  return packageVersion(model === 'faceapi-frnet-128' ? '@vladmandic/face-api' : '@vladmandic/human');
}

/** How each Human pipeline is built: embedding net and crop. */
const HUMAN_PIPELINES: Readonly<Record<Exclude<EngineModel, 'faceapi-frnet-128'>, Pick<HumanEngineOptions, 'embedder' | 'alignment'>>> = {
  'human-faceapi-frnet-5pt': { embedder: 'faceapi-frnet', alignment: 'five-point' },
  'human-faceres-5pt': { embedder: 'faceres', alignment: 'five-point' },
  'human-faceres': { embedder: 'faceres', alignment: 'human-crop' },
};

/** Engine configuration: face-api's options (detector applies to face-api only) plus the pipeline. */
export type EngineConfig = FaceApiEngineOptions & {
  /** Default 'faceapi-frnet-128'. */
  model?: EngineModel;
  /** Human engine options beyond the pipeline's (another embedding net, framing, model folder): evaluation only. */
  human?: Partial<Omit<HumanEngineOptions, 'backend' | 'minDetectionScore' | 'manifestPath' | 'wasmThreads'>>;
};

/** Builds, verifies and warms up the configured engine; rejects if its models cannot be trusted or loaded. */
export function createEngine(config: EngineConfig): Promise<FaceEngine> {
  const { model = 'faceapi-frnet-128', human, ...shared } = config;
  if (model === 'faceapi-frnet-128') return createFaceApiEngine(shared);
  return createHumanEngine({
    backend: shared.backend,
    minDetectionScore: shared.minDetectionScore,
    manifestPath: shared.manifestPath,
    wasmThreads: shared.wasmThreads,
    ...HUMAN_PIPELINES[model],
    ...human,
  });
}
