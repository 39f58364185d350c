/**
 * Access to the shared evaluation images in `../shared/datasets` (see its README.md).
 *
 * The images are real people and are not ours to redistribute: tests read them in place and never copy them into
 * the repository. When the folder is absent, suites wrapped in {@link describeIfDatasets} are skipped with a
 * warning instead of failing.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

/** A face box from the manifests' YuNet hint, in pixels of the EXIF-oriented image at its original size. */
export interface FaceBox {
  x: number;
  y: number;
  w: number;
  h: number;
  score?: number;
  landmarks?: [number, number][];
}

/** One entry of `documents/manifest.json` (only the fields the tests use are typed). */
export interface DocumentSpecimen {
  /** Path relative to `documents/`, e.g. `passporteye/tests_passport_td3_jpg.jpg`. */
  file: string;
  format: string;
  /** Stored (not EXIF-oriented) size. */
  width: number;
  height: number;
  doc_type?: string;
  country_hint?: string;
  yunet_faces: number;
  yunet_largest_face: FaceBox | null;
  portrait_visible_manual: boolean;
}

interface IdentitiesManifest {
  identities: { person: string; images: string[] }[];
  images: { file: string; yunet_largest_face?: FaceBox | null }[];
}

interface DocumentsManifest {
  images: DocumentSpecimen[];
}

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEFAULT_DIR = path.resolve(REPO_ROOT, '../shared/datasets');

/**
 * Absolute path of the datasets folder: `ZINDA_DATASETS_DIR` when set, else `../shared/datasets` next to the repo.
 * Reading `process.env` is otherwise reserved to src/config; test support is outside the application, and the
 * app's env schema should not grow a key that only tests use.
 */
export function datasetsDir(): string {
  const override = process.env['ZINDA_DATASETS_DIR'];
  return override ? path.resolve(override) : DEFAULT_DIR;
}

/** True when the datasets folder exists (all its sub-folders are expected to come with it). */
export function datasetsAvailable(): boolean {
  return existsSync(datasetsDir());
}

const manifestCache = new Map<string, unknown>();

function readManifest<T>(folder: 'identities' | 'documents'): T {
  const file = path.join(datasetsDir(), folder, 'manifest.json');
  let manifest = manifestCache.get(file);
  if (manifest === undefined) {
    if (!existsSync(file)) {
      throw new Error(`dataset manifest not found: ${file} (expected ../shared/datasets or ZINDA_DATASETS_DIR)`);
    }
    manifest = JSON.parse(readFileSync(file, 'utf8'));
    manifestCache.set(file, manifest);
  }
  return manifest as T;
}

/** Names of the people in `identities/` (e.g. `deepface_id01`, `facerec_obama`). */
export function identityPeople(): string[] {
  return readManifest<IdentitiesManifest>('identities').identities.map((identity) => identity.person);
}

/** Absolute paths of one person's photos, in manifest order. Throws for an unknown person. */
export function identityImages(person: string): string[] {
  const identity = readManifest<IdentitiesManifest>('identities').identities.find((i) => i.person === person);
  if (!identity) throw new Error(`unknown identity "${person}" in identities/manifest.json`);
  return identity.images.map((file) => path.join(datasetsDir(), 'identities', file));
}

/**
 * The manifest's face-box hint for an identities photo (absolute path, or path relative to `identities/`), or
 * undefined when the photo is not in the manifest or no face was found. Lets fixtures crop around the face
 * without running a detector.
 */
export function identityFaceBox(photo: string): FaceBox | undefined {
  const root = path.join(datasetsDir(), 'identities');
  const relative = path.isAbsolute(photo) ? path.relative(root, photo) : photo;
  if (relative.startsWith('..')) return undefined;
  const key = relative.split(path.sep).join('/');
  const entry = readManifest<IdentitiesManifest>('identities').images.find((image) => image.file === key);
  return entry?.yunet_largest_face ?? undefined;
}

/** Document specimens with a printed portrait (checked by hand) and a face box for it. */
export function documentSpecimens(): (DocumentSpecimen & { yunet_largest_face: FaceBox })[] {
  return readManifest<DocumentsManifest>('documents').images.filter(
    (doc): doc is DocumentSpecimen & { yunet_largest_face: FaceBox } =>
      doc.portrait_visible_manual === true && doc.yunet_largest_face !== null,
  );
}

/** Manifest entry of one document (path relative to `documents/`). Throws when it is not listed. */
export function documentSpecimen(file: string): DocumentSpecimen {
  const doc = readManifest<DocumentsManifest>('documents').images.find((d) => d.file === file);
  if (!doc) throw new Error(`unknown document "${file}" in documents/manifest.json`);
  return doc;
}

/** Absolute path of a document image given its path relative to `documents/`. */
export function documentPath(file: string): string {
  return path.join(datasetsDir(), 'documents', file);
}

let warned = false;

/** `describe` that is skipped, with one warning per test file, when the datasets folder is absent. */
export function describeIfDatasets(name: string, fn: () => void): void {
  const available = datasetsAvailable();
  if (!available && !warned) {
    warned = true;
    console.warn(
      `[datasets] ${datasetsDir()} not found: skipping tests that need real images. ` +
        'Put the evaluation data in ../shared/datasets (next to the repo) or set ZINDA_DATASETS_DIR.',
    );
  }
  describe.skipIf(!available)(name, fn);
}
