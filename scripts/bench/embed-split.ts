/**
 * Stage split for the Human pipelines, which have no `profile()`: the engine's detectFaces runs detector, mesh,
 * five-point alignment and the embedding net in one call. The embedding net is loaded a second time here, from the
 * same verified files, and timed alone on one crop per face found; the detector's share is the engine's time minus
 * that. A convolutional net's cost does not depend on the pixels, so a crop of the right size measures it fairly.
 */
import type { EngineModel } from '../../src/engine/create-engine.js';
import { initBackend, type BackendChoice, type Tf } from '../../src/engine/backend.js';
import type { EngineProfile, FaceEngine, RgbImage } from '../../src/engine/face-engine.js';
import { EMBEDDERS, type EmbedderSpec, type HumanEmbedder } from '../../src/engine/human/embedders.js';
import { loadEmbeddingNet, type EmbeddingNet } from '../../src/engine/human/embedding-net.js';
import { defaultManifestPath, readModelManifest, resolvePackageFile } from '../../src/engine/model-manifest.js';
import { nativeModelFor } from '../../src/engine/native/native-backend.js';

/** The engine, with profile() where the pipeline can be split, plus what the split needs for the FLOP count. */
export interface SplitEngine {
  readonly engine: FaceEngine;
  /** Human pipelines with a separate embedding net: the net, its spec and the shared tf handle. */
  readonly embed: { readonly net: EmbeddingNet; readonly spec: EmbedderSpec; readonly tf: Tf; readonly crop: Float32Array } | null;
  dispose(): Promise<void>;
}

/** Embedding net of a five-point Human pipeline ('human-<embedder>-5pt'), or null for the others. */
export function fivePointEmbedder(model: EngineModel): HumanEmbedder | null {
  const match = /^human-(.+)-5pt$/.exec(model);
  return match && match[1]! in EMBEDDERS ? (match[1] as HumanEmbedder) : null;
}

/** Wraps the engine with a profile() that times its embedding net apart, when the pipeline allows it. */
export async function withEmbedSplit(engine: FaceEngine, model: EngineModel, backend: BackendChoice): Promise<SplitEngine> {
  const embedder = fivePointEmbedder(model);
  if (engine.profile || !embedder) return { engine, embed: null, dispose: () => engine.dispose() };
  const spec = EMBEDDERS[embedder];
  const manifest = await readModelManifest(defaultManifestPath());
  const entry = manifest.files.find((f) => f.role === spec.role && f.file.endsWith('.json'));
  if (!entry) throw new Error(`models/manifest.json pins no JSON file for ${spec.role}`);
  const runtime = await initBackend({ backend });
  // The same runtime the engine's own net runs on (onnxruntime under ENGINE_BACKEND=native|auto), so the split is fair.
  const native = await nativeModelFor(backend, spec.role, manifest, (source) => resolvePackageFile(source.package, source.file));
  const net = await loadEmbeddingNet(runtime, spec, resolvePackageFile(entry.package, entry.file), native);
  // A mid-grey crop with a gradient: any pixels cost the same; these just avoid an all-constant input.
  const crop = Float32Array.from({ length: spec.inputSize * spec.inputSize * 3 }, (_, i) => 64 + (i % 128));
  await net.embed(crop);

  const profile = async (image: RgbImage): Promise<EngineProfile> => {
    const start = performance.now();
    const faces = await engine.detectFaces(image);
    const total = performance.now() - start;
    const embedStart = performance.now();
    for (let i = 0; i < faces.length; i += 1) await net.embed(crop);
    const describeMs = performance.now() - embedStart;
    // The engine's own embedding runs are inside `total`; the separate runs above stand for them.
    return { faces, detectMs: Math.max(0, total - describeMs), describeMs };
  };
  return {
    engine: { ...engine, info: engine.info, detectFaces: engine.detectFaces, tensorCount: engine.tensorCount, profile },
    embed: { net, spec, tf: runtime.tf, crop },
    async dispose() {
      // face-api's net is module-global and stays with the engine; a graph or native net loaded here is ours to free.
      if (spec.runtime === 'graph' || native) await net.dispose();
      await engine.dispose();
    },
  };
}

