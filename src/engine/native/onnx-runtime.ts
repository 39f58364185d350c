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

/**
 * One NHWC float image of `side` x `side` through `session`'s first input; every output copied out as float32 (the
 * runtime's own tensors are released before this returns). Throws on an output that is missing or not float32.
 */
export async function runImage(
  ort: Ort, session: OrtSession, input: Float32Array, side: number,
): Promise<{ dims: readonly number[]; data: Float32Array }[]> {
  const tensor = new ort.Tensor('float32', input, [1, side, side, 3]);
  const outputs = await session.run({ [session.inputNames[0] as string]: tensor });
  try {
    return session.outputNames.map((name) => {
      const output = outputs[name];
      if (!output || output.type !== 'float32') throw new Error(`native face graph gave no float output ${name}`);
      return { dims: output.dims, data: (output.data as Float32Array).slice() };
    });
  } finally {
    tensor.dispose();
    for (const output of Object.values(outputs)) output.dispose();
  }
}
