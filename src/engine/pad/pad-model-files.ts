/**
 * The PAD model files, pinned by size and SHA-256 (measured on @vladmandic/human 3.3.6). They are not in
 * models/manifest.json yet because that manifest's roles belong to the face engines; moving these pins there is
 * a one-line change (docs/LIVENESS.md, "Wiring").
 */
import { join } from 'node:path';
import { packageDir } from '../model-manifest.js';

export const HUMAN_PACKAGE = '@vladmandic/human';

export interface PadModelFile {
  /** File name inside the package's models/ folder. */
  readonly file: string;
  readonly bytes: number;
  readonly sha256: string;
}

export const PAD_MODEL_FILES: readonly PadModelFile[] = [
  { file: 'antispoof.json', bytes: 8713, sha256: '7fd698ae1cebabbcad79d3b8b448587b0365eb7911987418231bdcf36583112a' },
  { file: 'antispoof.bin', bytes: 853098, sha256: '4490fecb2becdb6869edc7e60f5e59962be013a8def8719b1373afb0f905c094' },
  { file: 'liveness.json', bytes: 17070, sha256: '9e51c8acf83b80abbf329b2735309ab5c90611c66905ade8b1bd130d473df9c8' },
  { file: 'liveness.bin', bytes: 592976, sha256: 'fc6a6b6b3b9721bdb8bff67a457a15b7cbfd81715cfb27f3e65b757e81dd663e' },
];

/**
 * The two nets as ONNX graphs for ENGINE_BACKEND=native|auto, converted at start from the pinned files above by
 * src/engine/native/tfjs-graph-onnx.ts and held to these pins (a changed converter or file stops the start).
 */
export const PAD_GENERATED_FILES = [
  { net: 'antispoof', bytes: 1707824, sha256: 'c8961d755ffebaf6e6436f231d0ed8e685fb1d0ecc4765e25ef1c7fe5c00b70f' },
  { net: 'liveness', bytes: 598321, sha256: 'e5b1cb5bf18b3c264dba5a688e2447814c1161e3086bfe2bd40e9d7eb9ed85bc' },
] as const;

/** Where a pinned file lies: in `modelDir` when given, else in the installed package's models/ folder. */
export function padModelPath(file: PadModelFile, modelDir?: string): string {
  return join(modelDir ?? join(packageDir(HUMAN_PACKAGE), 'models'), file.file);
}
