/**
 * Which nets run on the native runtime. ENGINE_BACKEND 'native' requires onnxruntime to load, 'auto' uses it when
 * it loads, 'wasm' and 'tensorflow' leave every net on tfjs. Only nets with a generated graph (generated-models.ts)
 * run natively (the Human engine's detector, mesh and FaceRecognitionNet with the five-point alignment, and the PAD
 * nets of src/engine/pad); the rest stays on tfjs, and EngineInfo.backend names what ran where.
 */
import type { BackendChoice } from '../backend.js';
import type { ModelManifest, ModelRole } from '../model-manifest.js';
import { MODEL_GENERATORS, loadGeneratedModel } from './generated-models.js';
import { loadOnnxRuntime, type Ort } from './onnx-runtime.js';

/** The runtime and the verified graph bytes of one net. */
export interface NativeModel {
  readonly ort: Ort;
  readonly model: Uint8Array;
  /** Which net it is (EngineInfo.backend lists the roles run natively). */
  readonly role: ModelRole;
}

/**
 * The native graph of `role` under `choice`, or null where tfjs runs it. Rejects when 'native' is asked for and the
 * runtime cannot load, and (under 'auto' too) when the generated graph differs from its pin: an integrity failure
 * stops the start, it never falls back silently.
 */
export async function nativeModelFor(
  choice: BackendChoice, role: ModelRole, manifest: ModelManifest, resolveSource: (source: { package: string; file: string }) => string,
): Promise<NativeModel | null> {
  if (choice !== 'native' && choice !== 'auto') return null;
  if (!MODEL_GENERATORS.some((g) => g.role === role)) return null;
  const { ort, error } = loadOnnxRuntime();
  if (!ort) {
    if (choice === 'native') throw new Error('ENGINE_BACKEND=native but onnxruntime-node could not be loaded.', { cause: error });
    return null;
  }
  return { ort, model: await loadGeneratedModel(manifest, role, resolveSource), role };
}
