import { createEngine, engineVersion, isEngineModel, type EngineConfig } from './create-engine.js';
import type { FaceEngine } from './face-engine.js';

/** Engines of several pipelines in one process, each loaded once on first use (a model upgrade needs the new one). */
export interface EnginePool {
  /** The version an engine of `model` reports, without loading it; null for an unknown pipeline. */
  versionOf(model: string): string | null;
  engineFor(model: string): Promise<FaceEngine>;
  /** Disposes the engines this pool loaded (not a shared one it was given). */
  dispose(): Promise<void>;
}

/**
 * `shared` (the verification worker's engine) is used when the same pipeline is asked for, so a process
 * never holds two copies of one model. A load that fails is forgotten, so the next job tries again.
 */
export function createEnginePool(config: Omit<EngineConfig, 'model'>, shared?: FaceEngine): EnginePool {
  const loaded = new Map<string, Promise<FaceEngine>>();
  return {
    versionOf: (model) => (isEngineModel(model) ? engineVersion(model) : null),
    engineFor(model) {
      if (shared?.info.model === model) return Promise.resolve(shared);
      if (!isEngineModel(model)) return Promise.reject(new Error(`No face pipeline "${model}"`));
      let engine = loaded.get(model);
      if (!engine) {
        engine = createEngine({ ...config, model });
        loaded.set(model, engine);
        engine.catch(() => loaded.delete(model));
      }
      return engine;
    },
    async dispose() {
      const engines = await Promise.allSettled(loaded.values());
      loaded.clear();
      for (const e of engines) if (e.status === 'fulfilled') await e.value.dispose();
    },
  };
}
