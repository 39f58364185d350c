/**
 * Model files this repository generates from pinned package files for the native runtime. They are built in memory
 * at start (a 22 MB float32 graph is not worth committing when its source weights ship in node_modules and the build
 * takes about a second) and must hash to the pin in models/manifest.json `generated`, so the start fails on a changed
 * generator or source exactly as on a changed package file.
 */
import { createHash } from 'node:crypto';
import { ModelIntegrityError } from '../../shared/errors.js';
import type { GeneratedEntry, ModelManifest, ModelRole } from '../model-manifest.js';
import { buildFrnetOnnx } from './frnet-onnx.js';
import { convertTfjsGraph } from './tfjs-graph-onnx.js';
import { readTfjsWeights } from './tfjs-weights.js';

/** How one generated file is built: from which package files, by which function. */
export interface ModelGenerator {
  readonly file: string;
  readonly role: ModelRole;
  readonly generator: string;
  readonly sources: readonly { readonly package: string; readonly file: string }[];
  /** `paths`: the sources' paths on disk, in the order of `sources`. */
  build(paths: readonly string[]): Promise<Uint8Array>;
}

const FACE_API = '@vladmandic/face-api';
const HUMAN = '@vladmandic/human';

/**
 * Human's graph models, converted op for op (tfjs-graph-onnx.ts): the detector and mesh run by native-mesh-finder.ts,
 * the PAD nets by src/engine/pad/native-pad-nets.ts.
 */
const humanGraph = (stem: 'blazeface' | 'facemesh' | 'antispoof' | 'liveness'): ModelGenerator => ({
  file: `${stem}.onnx`,
  role: stem,
  generator: 'src/engine/native/tfjs-graph-onnx.ts',
  sources: [{ package: HUMAN, file: `models/${stem}.json` }, { package: HUMAN, file: `models/${stem}.bin` }],
  build: ([json]) => convertTfjsGraph(json as string, stem),
});

export const MODEL_GENERATORS: readonly ModelGenerator[] = [
  {
    file: 'face-recognition.onnx',
    role: 'face-recognition',
    generator: 'src/engine/native/frnet-onnx.ts',
    sources: [
      { package: FACE_API, file: 'model/face_recognition_model-weights_manifest.json' },
      { package: FACE_API, file: 'model/face_recognition_model.bin' },
    ],
    build: async ([weightsManifest]) =>
      buildFrnetOnnx(await readTfjsWeights(weightsManifest as string), 'face-api FaceRecognitionNet, from @vladmandic/face-api model/face_recognition_model'),
  },
  humanGraph('blazeface'),
  humanGraph('facemesh'),
  humanGraph('antispoof'),
  humanGraph('liveness'),
];

/**
 * Builds the generated model of `role` from its sources (whose bytes the caller has verified against the manifest's
 * `files`) and checks it against its pin. Throws ModelIntegrityError when it is unpinned or differs.
 */
export async function loadGeneratedModel(
  manifest: ModelManifest, role: ModelRole, resolveSource: (source: { package: string; file: string }) => string,
): Promise<Uint8Array> {
  const generator = MODEL_GENERATORS.find((g) => g.role === role);
  const pin = manifest.generated?.find((entry) => entry.role === role);
  if (!generator || !pin) throw new ModelIntegrityError(`Model manifest pins no generated native model for: ${role}`);
  const unverified = generator.sources.filter((s) => !manifest.files.some((f) => f.package === s.package && f.file === s.file));
  if (unverified.length > 0) throw new ModelIntegrityError(`Model manifest pins no file for: ${unverified.map((s) => s.file).join(', ')}`);
  const bytes = await generator.build(generator.sources.map(resolveSource));
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  if (bytes.length !== pin.bytes || sha256 !== pin.sha256) {
    throw new ModelIntegrityError(
      `Generated model ${pin.file} differs from its pin (${bytes.length} bytes, sha256 ${sha256}; manifest pins ${pin.bytes}, ${pin.sha256})`,
    );
  }
  return bytes;
}

/** The manifest entry `npm run models:onnx` pins for freshly built `bytes`. */
export function generatedEntry(generator: ModelGenerator, bytes: Uint8Array, manifest: ModelManifest): GeneratedEntry {
  return {
    file: generator.file,
    role: generator.role,
    generator: generator.generator,
    bytes: bytes.length,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    sources: generator.sources.map((source) => {
      const pinned = manifest.files.find((f) => f.package === source.package && f.file === source.file);
      if (!pinned) throw new Error(`${source.package}/${source.file} is not pinned in models/manifest.json files`);
      return { ...source, sha256: pinned.sha256 };
    }),
  };
}
