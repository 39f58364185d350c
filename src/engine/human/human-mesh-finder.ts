/**
 * Human's own BlazeFace detector and face mesh on tfjs (and, for the 'human-crop' alignment, its embedding net on
 * its own crop). Human shares the process's tfjs (the same @tensorflow/tfjs-core instance backend.ts started), so it
 * runs beside face-api in one process and its tensors count in the same registry. Its result cache is off
 * (cacheSensitivity 0): every image is analysed from scratch.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Tensor } from '@tensorflow/tfjs';
import { wasmBinaryDir, type TfRuntime } from '../backend.js';
import type { RgbImage } from '../face-engine.js';
import { packageDir } from '../model-manifest.js';
import { DETECTOR_SETTINGS } from '../native/blazeface-decode.js';
import type { EmbedderSpec } from './embedders.js';
import type { MeshFace, MeshFinder } from './mesh-finder.js';
import { MODEL_SCHEME, registerModelFile } from './model-files.js';

const require = createRequire(import.meta.url);
const HUMAN = '@vladmandic/human';

/** The part of Human's API this engine uses (its bundle is CommonJS without usable typings under NodeNext). */
interface HumanInstance {
  load(): Promise<void>;
  detect(input: Tensor): Promise<{ error?: string | null; face: MeshFace[] }>;
  models: { models: Record<string, unknown> };
}
type HumanConstructor = new (config: Record<string, unknown>) => HumanInstance;

export interface HumanMeshFinderOptions {
  readonly runtime: TfRuntime;
  /** Graph model JSON of each net Human loads, by file name ('blazeface.json', 'facemesh.json', ...). */
  readonly modelPaths: Readonly<Record<string, string>>;
  readonly minScore: number;
  /** The embedding net Human runs on its own crop ('human-crop' alignment), or null. */
  readonly humanCrop: EmbedderSpec | null;
}

/** Loads Human's detector and mesh (and embedding net); rejects when one fails to load. */
export async function createHumanMeshFinder({ runtime, modelPaths, minScore, humanCrop }: HumanMeshFinderOptions): Promise<MeshFinder> {
  const { tf, backend } = runtime;
  for (const [file, path] of Object.entries(modelPaths)) registerModelFile(tf, file, path);
  const bundle = backend === 'wasm' ? 'human.node-wasm.js' : 'human.node.js';
  const { Human } = require(join(packageDir(HUMAN), 'dist', bundle)) as { Human: HumanConstructor };
  const human = new Human(humanConfig(backend, minScore, humanCrop));
  await human.load();
  const missing = ['blazeface', 'facemesh', ...(humanCrop ? [humanModelKey(humanCrop)] : [])].filter((key) => !human.models.models[key]);
  if (missing.length) throw new Error(`Human model failed to load: ${missing.join(', ')} (see the log above)`);

  return {
    async find(image: RgbImage) {
      // Human's own square padding (detector.square) maps boxes back wrongly on non-square images (its source says
      // "TODO fix this math"), which misplaces the mesh; padding right and bottom here keeps every coordinate as is.
      const side = Math.max(image.width, image.height);
      const input = tf.tidy(() =>
        tf.pad(tf.tensor4d(image.data, [1, image.height, image.width, 3], 'float32'), [[0, 0], [0, side - image.height], [0, side - image.width], [0, 0]]),
      );
      try {
        const result = await human.detect(input);
        if (result.error) throw new Error(`Human detection failed: ${result.error}`);
        return result.face.filter((face) => face.mesh.length >= 468);
      } finally {
        input.dispose();
      }
    },
    // Human keeps its models for the process; nothing of ours to free.
    dispose: async () => undefined,
  };
}

/** Human's configuration: face detector and mesh only (plus the embedding net for 'human-crop'), no caching. */
function humanConfig(backend: string, minScore: number, humanCrop: EmbedderSpec | null): Record<string, unknown> {
  const off = { enabled: false };
  const net = (key: EmbedderSpec['humanConfigKey']) =>
    humanCrop && humanCrop.humanConfigKey === key
      ? { enabled: true, modelPath: `${humanCrop.role}.json`, skipFrames: 0, skipTime: 0, minConfidence: 0 }
      : off;
  return {
    backend,
    wasmPath: wasmBinaryDir(),
    wasmPlatformFetch: false,
    modelBasePath: MODEL_SCHEME,
    cacheModels: false,
    cacheSensitivity: 0,
    skipAllowed: false,
    debug: false,
    async: false,
    warmup: 'none',
    filter: off,
    face: {
      enabled: true,
      detector: {
        modelPath: 'blazeface.json', rotation: false, maxDetected: DETECTOR_SETTINGS.maxFaces, skipFrames: 0, skipTime: 0,
        minConfidence: minScore, iouThreshold: DETECTOR_SETTINGS.iouThreshold, scale: DETECTOR_SETTINGS.enlarge, square: false, return: false,
      },
      mesh: { enabled: true, modelPath: 'facemesh.json' },
      attention: off, iris: off, emotion: off, antispoof: off, liveness: off, gear: off, ssrnet: off,
      description: net('description'),
      mobilefacenet: net('mobilefacenet'),
      insightface: net('insightface'),
    },
    body: off, hand: off, object: off, gesture: off, segmentation: off,
  };
}

/** Key of a net in Human's model registry. */
function humanModelKey(spec: EmbedderSpec): string {
  return spec.humanConfigKey === 'description' ? 'faceres' : String(spec.humanConfigKey);
}
