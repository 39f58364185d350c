/**
 * A set grouped by person, for the gallery evaluation: every photo of every person, each person in one fold.
 * Two layouts: LFW (`pairs.txt` + `images/<name>/`; a person keeps the fold pairs.txt puts them in, people it does
 * not list are dealt by name hash) and identity folders (one folder per person, dealt by name hash).
 *
 * Nothing here builds pairs: a set of thousands of people would make millions of them. The gallery evaluation
 * compares each probe with the galleries of its own fold only.
 */
import { access, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { EvalImage } from './eval-set.js';
import { defaultFolds, personFolders } from './identity-set.js';
import { assignIdentityFolds } from './k-fold.js';
import { parseLfwPairs } from './lfw-set.js';


export interface PersonPhotos {
  readonly identity: string;
  readonly fold: number;
  /** In natural file-name order: the first K usable ones become the references. */
  readonly images: readonly EvalImage[];
}

export interface PersonSet {
  readonly name: 'lfw' | 'identities';
  readonly root: string;
  readonly folds: number;
  readonly people: readonly PersonPhotos[];
}

export async function loadPersonSet(root: string, layout: 'lfw' | 'identities'): Promise<PersonSet> {
  const photoRoot = layout === 'lfw' ? path.join(root, 'images') : root;
  const folders = await personFolders(photoRoot);
  let listedFold = new Map<string, number>();
  let folds = defaultFolds(folders.size);
  if (layout === 'lfw' && (await exists(path.join(root, 'pairs.txt')))) {
    const parsed = parseLfwPairs(await readFile(path.join(root, 'pairs.txt'), 'utf8'));
    folds = parsed.folds;
    for (const p of parsed.pairs) for (const ref of [p.a, p.b]) listedFold.set(ref.name, p.fold);
  }
  const unlisted = [...folders.keys()].filter((name) => !listedFold.has(name));
  const dealt = assignIdentityFolds(unlisted, folds);
  listedFold = new Map([...listedFold, ...dealt]);
  const people: PersonPhotos[] = [];
  for (const [identity, files] of folders) {
    const fold = listedFold.get(identity) as number;
    const images = files.map((file): EvalImage => {
      const id = layout === 'lfw' ? path.posix.join('images', identity, file) : path.posix.join(identity, file);
      return {
        id, identity, fold, role: 'selfie', subject: layout === 'lfw' ? 'central' : 'whole-image',
        load: () => readFile(path.join(root, id)),
      };
    });
    people.push({ identity, fold, images });
  }
  return { name: layout, root, folds, people };
}

async function exists(file: string): Promise<boolean> {
  try {
    await access(file);
    return true;
  } catch {
    return false;
  }
}

