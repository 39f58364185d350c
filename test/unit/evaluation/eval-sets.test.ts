/** Dataset layouts: LFW pairs.txt with any number of folds, identity folders, --limit. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limitPairs, type EvalPair } from '../../../src/evaluation/eval-set.js';
import { loadIdentitySet } from '../../../src/evaluation/identity-set.js';
import { lfwImagePath, loadLfwSet, parseLfwPairs } from '../../../src/evaluation/lfw-set.js';

const PAIRS_2_FOLDS = ['2\t2', 'Ann\t1\t2', 'Ann\t1\t3', 'Bob\t1\tCy\t4', 'Bob\t2\tDee\t1', 'Eve\t1\t2', 'Fay\t2\t3', 'Gus\t1\tHal\t2', 'Ivy\t1\tEve\t1'].join('\n');

describe('LFW pairs.txt', () => {
  it('reads any number of folds, same-person lines first in each fold', () => {
    const parsed = parseLfwPairs(PAIRS_2_FOLDS);
    expect(parsed).toMatchObject({ folds: 2, perClass: 2 });
    expect(parsed.pairs.map((p) => [p.fold, p.same])).toEqual([
      [0, true], [0, true], [0, false], [0, false], [1, true], [1, true], [1, false], [1, false],
    ]);
    expect(parsed.pairs[2]).toMatchObject({ a: { name: 'Bob', number: 1 }, b: { name: 'Cy', number: 4 } });
    expect(lfwImagePath({ name: 'Cy', number: 4 })).toBe('images/Cy/Cy_0004.jpg');
  });

  it('accepts spaces and CRLF as the official files have them', () => {
    expect(parseLfwPairs(PAIRS_2_FOLDS.replace(/\t/g, ' ').replace(/\n/g, '\r\n')).pairs).toHaveLength(8);
  });

  it('rejects a malformed file with the line at fault', () => {
    expect(() => parseLfwPairs('x')).toThrow(/line 1/);
    expect(() => parseLfwPairs(PAIRS_2_FOLDS.replace('Ann\t1\t3', 'Ann\t1'))).toThrow(/line 3.*same-person/);
    expect(() => parseLfwPairs(PAIRS_2_FOLDS.replace('Bob\t1\tCy\t4', 'Bob\t1\tCy\tx'))).toThrow(/line 4.*bad image number/);
    expect(() => parseLfwPairs(`${PAIRS_2_FOLDS}\nAnn\t1\t2`)).toThrow(/expected 9 lines/);
  });

  it('loads a folder as a set of images and pairs, each image in its fold', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'zinda-lfw-'));
    try {
      await writeFile(path.join(dir, 'pairs.txt'), PAIRS_2_FOLDS);
      const set = await loadLfwSet(dir);
      expect(set.pairs).toHaveLength(8);
      expect(set.folds).toBe(2);
      expect(set.images.get('images/Ann/Ann_0003.jpg')).toMatchObject({ identity: 'Ann', fold: 0, subject: 'central', role: 'selfie' });
      expect(set.images.get('images/Eve/Eve_0001.jpg')?.fold).toBe(1);
      expect(set.provenance['pairsSha256']).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('--limit', () => {
  it('keeps pairs from every fold and both classes', () => {
    const pairs: EvalPair[] = [];
    for (let fold = 0; fold < 5; fold++) {
      for (let k = 0; k < 100; k++) pairs.push({ a: `a${fold}${k}`, b: `b${fold}${k}`, same: k < 50, fold });
    }
    const kept = limitPairs(pairs, 20);
    expect(kept).toHaveLength(20);
    for (let fold = 0; fold < 5; fold++) {
      expect(kept.filter((p) => p.fold === fold && p.same)).toHaveLength(2);
      expect(kept.filter((p) => p.fold === fold && !p.same)).toHaveLength(2);
    }
    expect(limitPairs(pairs, undefined)).toHaveLength(500);
  });
});

describe('identity folders', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'zinda-ids-'));
    for (let p = 0; p < 10; p++) {
      await mkdir(path.join(dir, `person${p}`));
      for (let k = 1; k <= 3; k++) await writeFile(path.join(dir, `person${p}`, `${k}.jpg`), 'not read by the loader');
    }
    await writeFile(path.join(dir, 'manifest.json'), '{}');
    await writeFile(path.join(dir, 'person0', 'notes.txt'), 'ignored');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('pairs photos of one person as genuine and of different people in the same fold as impostors', async () => {
    const set = await loadIdentitySet(dir);
    expect(set.images.size).toBe(30);
    expect(set.folds).toBe(5);
    const genuine = set.pairs.filter((p) => p.same);
    expect(genuine).toHaveLength(10 * 3);
    for (const p of set.pairs) {
      const a = set.images.get(p.a)!;
      const b = set.images.get(p.b)!;
      expect(a.fold).toBe(b.fold);
      expect(p.fold).toBe(a.fold);
      expect(p.same).toBe(a.identity === b.identity);
    }
    // 5 folds of 2 people: 3 x 3 impostor pairs per fold.
    expect(set.pairs.filter((p) => !p.same)).toHaveLength(5 * 9);
  });
});
