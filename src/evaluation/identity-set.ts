/**
 * Identity-folder layout: one folder per person, photos inside. Genuine pairs are every two photos of one person,
 * impostor pairs every two photos of different people in the same fold; people are dealt into folds by
 * assignIdentityFolds, so no person is in two folds.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { limitPairs, imagesOfPairs, type EvalImage, type EvalPair, type EvalSet } from './eval-set.js';
import { assignIdentityFolds } from './k-fold.js';

const IMAGE_FILE = /\.(jpe?g|png|webp)$/i;

/** Folds used when the set has enough people; fewer people give fewer folds (at least two people per fold). */
const DEFAULT_FOLDS = 5;

/** Folds for a set of `people`: DEFAULT_FOLDS, fewer where there are too few people for two in each. */
export const defaultFolds = (people: number): number => Math.max(1, Math.min(DEFAULT_FOLDS, Math.floor(people / 2)));

/** Each person folder under `dir` (hidden ones skipped) with its photo file names in natural order; empty ones left out. */
export async function personFolders(dir: string): Promise<Map<string, string[]>> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
  const folders = new Map<string, string[]>();
  for (const name of names) {
    const files = (await readdir(path.join(dir, name))).filter((f) => IMAGE_FILE.test(f)).sort(naturalOrder);
    if (files.length) folders.set(name, files);
  }
  return folders;
}

export async function loadIdentitySet(root: string, limit?: number): Promise<EvalSet> {
  const photos = new Map([...await personFolders(root)].map(([person, files]) => [person, files.map((f) => path.posix.join(person, f))]));
  const identities = [...photos.keys()];
  const folds = defaultFolds(identities.length);
  const foldOf = assignIdentityFolds(identities, folds);
  const images = new Map<string, EvalImage>();
  for (const [person, files] of photos) {
    for (const id of files) {
      images.set(id, {
        id, identity: person, fold: foldOf.get(person) as number, role: 'selfie', subject: 'whole-image',
        load: () => readFile(path.join(root, id)),
      });
    }
  }
  const all = [...images.values()];
  const pairs: EvalPair[] = [];
  for (let i = 0; i < all.length; i++) {
    for (let j = i + 1; j < all.length; j++) {
      const a = all[i] as EvalImage;
      const b = all[j] as EvalImage;
      if (a.fold !== b.fold) continue;
      pairs.push({ a: a.id, b: b.id, same: a.identity === b.identity, fold: a.fold });
    }
  }
  const kept = limitPairs(pairs, limit);
  return {
    name: 'identities',
    description: `${identities.length} people in ${folds} identity-disjoint folds; all same-person pairs, all different-person pairs within a fold`,
    root,
    images: imagesOfPairs(images, kept),
    pairs: kept,
    folds,
    allPairsWithinFolds: false,
    provenance: { people: identities.length, photos: images.size },
  };
}

const naturalOrder = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
