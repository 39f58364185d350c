/**
 * onnxruntime-node, the native CPU runtime behind ENGINE_BACKEND=native|auto. Loaded lazily through require: a
 * process configured for wasm never maps the native library, and a host where it cannot load (another OS or libc)
 * falls back under 'auto' instead of failing to import this module.
 */
import { createRequire } from 'node:module';
import type * as OrtModule from 'onnxruntime-node';

const require = createRequire(import.meta.url);

export type Ort = typeof OrtModule;
export type OrtSession = OrtModule.InferenceSession;

let loaded: { ort?: Ort; error?: unknown } | undefined;

/** The runtime, or the reason it could not load (remembered: a native library that failed once fails again). */
export function loadOnnxRuntime(): { ort?: Ort; error?: unknown } {
  if (!loaded) {
    try {
      loaded = { ort: require('onnxruntime-node') as Ort };
    } catch (error) {
      loaded = { error };
    }
  }
  return loaded;
}

/**
 * One intra-op thread: the service scales by worker processes (one job per process at a time), and a second thread
 * per session would only make the processes of one host compete for the same cores.
 */
export async function createOrtSession(ort: Ort, model: Uint8Array): Promise<OrtSession> {
  return ort.InferenceSession.create(model, {
    executionProviders: ['cpu'],
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
    executionMode: 'sequential',
    graphOptimizationLevel: 'all',
  });
}
