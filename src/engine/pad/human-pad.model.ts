/**
 * PadModel on the two anti-spoofing nets that ship inside @vladmandic/human (`antispoof`, `liveness`), run directly
 * on tfjs without the rest of Human: the face engine has already found the face, so only its crop is needed.
 *
 * Backends: the nets run on the process's one tfjs engine, the one backend.ts started for face-api (measured: face-api's
 * node-wasm bundle, `require('@tensorflow/tfjs')` and `import '@tensorflow/tfjs'` share one engine and one tensor
 * registry). The files are read from disk through an IOHandler (no fetch, no internet) after their size and
 * SHA-256 have been checked against models/manifest.json (roles `antispoof`, `liveness`). Under ENGINE_BACKEND=native
 * (or auto where onnxruntime-node loads) the same nets run as ONNX graphs on onnxruntime instead (native-pad-nets.ts),
 * generated at start and held to the manifest's `generated` pins like the face engine's, on the very crops tfjs
 * would cut; `info.backend` then reads `onnxruntime`.
 */
import { basename, join } from 'node:path';
import type { GraphModel, Tensor, Tensor4D } from '@tensorflow/tfjs';
import { ModelIntegrityError } from '../../shared/errors.js';
import { initBackend, type BackendChoice } from '../backend.js';
import type { Box, RgbImage } from '../face-engine.js';
import { fileModelHandler } from '../human/model-files.js';
import { defaultManifestPath, resolvePackageFile, verifyModelManifest, type ModelManifest, type ModelRole } from '../model-manifest.js';
import { nativeModelFor } from '../native/native-backend.js';
import { createNativePadNets, type NativePadNets } from './native-pad-nets.js';
import type { PadModel, PadScores } from './pad-model.js';

const HUMAN_PACKAGE = '@vladmandic/human';
const PAD_NETS = ['antispoof', 'liveness'] as const satisfies readonly ModelRole[];

export interface HumanPadOptions {
  backend: BackendChoice;
  /**
   * Crop side as a multiple of the face box's longer side. Human crops its BlazeFace box enlarged 1.4x; face-api's
   * SSD box is wider and shorter than BlazeFace's, and 1.6x of its longer side comes closest to Human's own scores
   * (docs/LIVENESS.md, "Framing").
   */
  framing?: number;
  /**
   * Folder holding antispoof.{json,bin} and liveness.{json,bin}; default: the installed package's models/. The files
   * must still match the manifest.
   */
  modelDir?: string;
  /** models/manifest.json to verify against; default: the one in this checkout. */
  manifestPath?: string;
  wasmThreads?: number;
}

export const DEFAULT_PAD_FRAMING = 1.6;

/** Verifies the pinned files, loads both nets and warms them up; rejects rather than return a half-working model. */
export async function createHumanPadModel(options: HumanPadOptions): Promise<PadModel> {
  const framing = options.framing ?? DEFAULT_PAD_FRAMING;
  if (!(framing >= 1 && framing <= 3)) throw new RangeError(`framing must be in [1, 3], got ${framing}`);
  const { modelDir } = options;
  const pathOf = (source: { package: string; file: string }) =>
    modelDir && source.package === HUMAN_PACKAGE && PAD_NETS.some((net) => source.file.startsWith(`models/${net}.`))
      ? join(modelDir, basename(source.file))
      : resolvePackageFile(source.package, source.file);
  const manifest = await verifyModelManifest(options.manifestPath ?? defaultManifestPath(), { resolveFile: pathOf, roles: PAD_NETS });
  const jsons = PAD_NETS.map((net) => pathOf(pinnedJson(manifest, net)));
  const { tf, backend } = await initBackend({ backend: options.backend, wasmThreads: options.wasmThreads });
  const native = await nativeNets(options.backend, manifest, pathOf);
  const loaded: GraphModel[] = [];
  try {
    if (!native) for (const json of jsons) loaded.push(await tf.loadGraphModel(fileModelHandler(json)));
  } catch (error) {
    for (const net of loaded) net.dispose();
    throw new ModelIntegrityError(`PAD model failed to load: ${(error as Error).message}`);
  }
  let disposed = false;

  /** Both nets' raw outputs on the crop, on tfjs. */
  async function runTfjs([antispoof, liveness]: GraphModel[], image: RgbImage, crop: [number, number, number, number]) {
    const { data, width, height } = image;
    const outputs = tf.tidy(() => {
      const input = tf.tensor3d(data, [height, width, 3], 'int32').toFloat().div(255).expandDims(0) as Tensor4D;
      const face128 = tf.image.cropAndResize(input, [crop], [0], [128, 128]);
      const face32 = tf.image.resizeBilinear(face128, [32, 32]);
      return [(antispoof as GraphModel).execute(face128) as Tensor, (liveness as GraphModel).execute(face32) as Tensor];
    });
    try {
      const [real, live] = await Promise.all(outputs.map((t) => t.data()));
      return [real?.[0], live?.[0]] as const;
    } finally {
      tf.dispose(outputs);
    }
  }

  async function score(image: RgbImage, face: Box): Promise<PadScores> {
    if (disposed) throw new Error('PAD model used after dispose().');
    const { data, width, height } = image;
    if (data.length !== width * height * 3) throw new RangeError(`RgbImage of ${width}x${height} needs ${width * height * 3} bytes`);
    const side = Math.max(face.width, face.height) * framing;
    const cx = face.x + face.width / 2;
    const cy = face.y + face.height / 2;
    // Normalised [y1, x1, y2, x2]; parts outside the image are filled with black, as Human's own crop does.
    const crop: [number, number, number, number] = [(cy - side / 2) / height, (cx - side / 2) / width, (cy + side / 2) / height, (cx + side / 2) / width];
    const [real, live] = native ? await native.run(image, crop) : await runTfjs(loaded, image, crop);
    return { antispoof: probability(real, 'antispoof'), liveness: probability(live, 'liveness') };
  }

  // The first run compiles the kernels: pay it at start, not on the first request.
  await score({ data: new Uint8Array(64 * 64 * 3).fill(128), width: 64, height: 64 }, { x: 16, y: 16, width: 32, height: 32 });

  return {
    info: { source: `${HUMAN_PACKAGE}`, models: ['antispoof', 'liveness'], framing, backend: native ? 'onnxruntime' : backend },
    score,
    tensorCount: () => tf.memory().numTensors,
    async dispose() {
      if (disposed) return;
      disposed = true;
      for (const net of loaded) net.dispose();
      await native?.dispose();
    },
  };
}

/** A manifest that leaves a net's files out would let unverified bytes through: both files of each net must be pinned. */
function pinnedJson(manifest: ModelManifest, net: ModelRole) {
  const pinned = manifest.files.filter((f) => f.role === net);
  const json = pinned.find((f) => f.file.endsWith('.json'));
  if (!json || !pinned.some((f) => f.file.endsWith('.bin'))) throw new ModelIntegrityError(`Model manifest pins no file for: ${net}`);
  return json;
}

/**
 * The nets on onnxruntime under 'native' (which requires it) or 'auto' (where it loads), else null: tfjs runs them.
 * A generated graph that differs from its pin stops the start under either (native-backend.ts).
 */
async function nativeNets(
  choice: BackendChoice, manifest: ModelManifest, pathOf: (source: { package: string; file: string }) => string,
): Promise<NativePadNets | null> {
  const antispoof = await nativeModelFor(choice, 'antispoof', manifest, pathOf);
  const liveness = antispoof && (await nativeModelFor(choice, 'liveness', manifest, pathOf));
  return antispoof && liveness ? createNativePadNets(antispoof.ort, { antispoof: antispoof.model, liveness: liveness.model }) : null;
}

/** A broken output must stop the check, never read as "attack" or "live". */
function probability(value: number | undefined, net: string): number {
  if (value === undefined || !Number.isFinite(value)) throw new Error(`PAD net ${net} gave no finite output`);
  return Math.min(1, Math.max(0, value));
}
