/** The photos the benchmark runs on: the shipped samples, and a fixed subset of the shared evaluation photos. */
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { datasetsAvailable, datasetsDir } from '../../test/support/datasets.js';

export interface BenchImage {
  /** Printed name: the file name relative to its set's folder (names only, never image content, in output). */
  readonly name: string;
  readonly path: string;
}

export interface ImageSet {
  readonly title: string;
  readonly images: readonly BenchImage[];
}

/**
 * Single-face real-world photos of 1.0-2.4 MP from `identities/` (deepface and face_recognition sets), chosen once
 * and kept fixed so that runs stay comparable. Listed by path relative to `identities/`; read in place, never copied.
 */
export const IDENTITY_SUBSET = [
  'deepface_id01/2.jpg', // 1536 x 1152
  'deepface_id01/9.jpg', // 1174 x 1564
  'deepface_id03/2.jpg', // 1000 x 1780
  'deepface_id03/4.jpg', //  940 x 1242
  'deepface_id04/3.jpg', // 1414 x 1264
  'deepface_id04/5.jpg', // 1600 x 1055
  'deepface_id06/1.jpg', // 1200 x 1200
  'deepface_id06/2.jpg', // 1011 x 1484
  'deepface_id09/1.jpg', // 1200 x 1120
  'facerec_alex_lacamoire/3.jpg', // 1548 x 1024
] as const;

/** Every `samples/faces/*.jpg` (selfie crops of 400-600 px and one group photo), sorted by name. */
export function sampleFaces(repoRoot: string): ImageSet {
  const dir = path.join(repoRoot, 'samples', 'faces');
  const images = readdirSync(dir)
    .filter((file) => file.endsWith('.jpg'))
    .sort()
    .map((file) => ({ name: file, path: path.join(dir, file) }));
  if (images.length === 0) throw new Error(`no samples/faces/*.jpg in ${dir}`);
  return { title: 'samples/faces', images };
}

/** The subset above (its first `limit` photos), or null when the shared datasets folder is absent. */
export function identitySubset(limit: number = IDENTITY_SUBSET.length): ImageSet | null {
  if (!datasetsAvailable()) return null;
  const root = path.join(datasetsDir(), 'identities');
  const images = IDENTITY_SUBSET.slice(0, limit).map((file) => ({ name: file, path: path.join(root, file) }));
  const missing = images.filter((image) => !existsSync(image.path));
  if (missing.length) throw new Error(`identities subset incomplete, missing: ${missing.map((m) => m.name).join(', ')}`);
  return { title: 'identities subset (1.0-2.4 MP photos)', images };
}

/** The single-face samples, for verification selfies: every job then does the same work (one face, two references). */
export function singleFaceSamples(repoRoot: string): BenchImage[] {
  return sampleFaces(repoRoot).images.filter((image) => /-face\d+\.jpg$/.test(image.name));
}
