/**
 * Labeled Faces in the Wild, official layout: `pairs.txt` (first line "<folds> <n>", then per fold n same-person
 * lines "name i j" and n different-person lines "name1 i name2 j") and `images/<name>/<name>_<NNNN>.jpg`.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { limitPairs, imagesOfPairs, type EvalImage, type EvalPair, type EvalSet } from './eval-set.js';

/** pairs.txt parsed: the folds as written, each pair naming person and image number. */
export interface LfwPairsFile {
  readonly folds: number;
  readonly perClass: number;
  readonly pairs: readonly { fold: number; same: boolean; a: LfwImageRef; b: LfwImageRef }[];
}

export interface LfwImageRef {
  readonly name: string;
  readonly number: number;
}

/** Parses pairs.txt; throws with the line number on anything that does not follow the format. */
export function parseLfwPairs(text: string): LfwPairsFile {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  const header = (lines[0] ?? '').split(/\s+/).map(Number);
  const [folds, perClass] = header.length === 1 ? [1, header[0]] : header;
  if (!(Number.isInteger(folds) && Number.isInteger(perClass) && (folds as number) > 0 && (perClass as number) > 0)) {
    throw new Error(`pairs.txt line 1: expected "<folds> <pairs per class>", got "${lines[0] ?? ''}"`);
  }
  const expected = 1 + (folds as number) * 2 * (perClass as number);
  if (lines.length !== expected) throw new Error(`pairs.txt: expected ${expected} lines for ${folds} folds of ${perClass}, found ${lines.length}`);
  const pairs = lines.slice(1).map((line, index) => {
    const fold = Math.floor(index / (2 * (perClass as number)));
    const same = index % (2 * (perClass as number)) < (perClass as number);
    const parts = line.split(/\s+/);
    const num = (s: string | undefined) => {
      const n = Number(s);
      if (!Number.isInteger(n) || n < 1) throw new Error(`pairs.txt line ${index + 2}: bad image number "${s}"`);
      return n;
    };
    if (same && parts.length === 3) {
      return { fold, same, a: { name: parts[0] as string, number: num(parts[1]) }, b: { name: parts[0] as string, number: num(parts[2]) } };
    }
    if (!same && parts.length === 4) {
      return { fold, same, a: { name: parts[0] as string, number: num(parts[1]) }, b: { name: parts[2] as string, number: num(parts[3]) } };
    }
    throw new Error(`pairs.txt line ${index + 2}: expected a ${same ? 'same-person (3 fields)' : 'different-person (4 fields)'} line, got "${line}"`);
  });
  return { folds: folds as number, perClass: perClass as number, pairs };
}

/** Relative path of an LFW image: `images/Name/Name_0001.jpg`. */
export function lfwImagePath(ref: LfwImageRef): string {
  return path.posix.join('images', ref.name, `${ref.name}_${String(ref.number).padStart(4, '0')}.jpg`);
}

/** Loads an LFW folder as an evaluation set; `limit` keeps that many pairs, spread over folds and classes. */
export async function loadLfwSet(root: string, limit?: number): Promise<EvalSet> {
  const text = await readFile(path.join(root, 'pairs.txt'), 'utf8');
  const parsed = parseLfwPairs(text);
  const images = new Map<string, EvalImage>();
  const pairs: EvalPair[] = parsed.pairs.map((p) => {
    const [a, b] = [p.a, p.b].map((ref) => {
      const id = lfwImagePath(ref);
      if (!images.has(id)) {
        images.set(id, {
          id, identity: ref.name, fold: p.fold, role: 'selfie', subject: 'central',
          load: () => readFile(path.join(root, id)),
        });
      }
      return id;
    }) as [string, string];
    return { a, b, same: p.same, fold: p.fold };
  });
  const kept = limitPairs(pairs, limit);
  return {
    name: 'lfw',
    description: `LFW pairs.txt: ${parsed.folds} folds x (${parsed.perClass} same + ${parsed.perClass} different)`,
    root,
    images: imagesOfPairs(images, kept),
    pairs: kept,
    folds: parsed.folds,
    allPairsWithinFolds: true,
    provenance: { pairsSha256: createHash('sha256').update(text).digest('hex'), folds: parsed.folds, pairsPerClassPerFold: parsed.perClass },
  };
}
