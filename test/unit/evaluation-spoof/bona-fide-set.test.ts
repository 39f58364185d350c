import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBonaFideFolder } from '../../../src/evaluation-spoof/bona-fide-set.js';

describe('bona fide folders for the PAD evaluation', () => {
  let dir: string;
  const people = { Ann: 3, Bob: 1, Cid: 2, Dee: 12 };

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'bona-fide-'));
    for (const [person, n] of Object.entries(people)) {
      // LFW layout: <dir>/images/<person>/<person>_<NNNN>.jpg
      mkdirSync(path.join(dir, 'lfw', 'images', person), { recursive: true });
      for (let k = 1; k <= n; k++) writeFileSync(path.join(dir, 'lfw', 'images', person, `${person}_${String(k).padStart(4, '0')}.jpg`), '');
      // identities layout: <dir>/<person>/<k>.<ext>, numbered 1..n
      mkdirSync(path.join(dir, 'ids', person), { recursive: true });
      for (let k = 1; k <= n; k++) writeFileSync(path.join(dir, 'ids', person, `${k}.${k % 2 ? 'jpg' : 'png'}`), '');
    }
    writeFileSync(path.join(dir, 'ids', 'manifest.json'), '{}');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every image of either layout, labelled bona fide, one subject per person and folder', () => {
    const lfw = loadBonaFideFolder(path.join(dir, 'lfw'), 'bona-fide');
    const ids = loadBonaFideFolder(path.join(dir, 'ids'), 'holdout');
    expect(lfw).toHaveLength(18);
    expect(ids).toHaveLength(18);
    expect(new Set(lfw.map((s) => s.subject))).toEqual(new Set(['lfw:Ann', 'lfw:Bob', 'lfw:Cid', 'lfw:Dee']));
    expect(ids.every((s) => s.label === 'real' && s.group === 'holdout' && !s.tightCrops && s.attackType === null)).toBe(true);
    expect(ids.filter((s) => s.subject === 'ids:Dee').map((s) => s.file).slice(0, 3)).toEqual(['Dee/1.jpg', 'Dee/2.png', 'Dee/3.jpg']);
  });

  it('takes a limited subset spread across people first, the same on every run', () => {
    const subset = loadBonaFideFolder(path.join(dir, 'lfw'), 'bona-fide', 6);
    expect(subset).toHaveLength(6);
    // One image of each of the four people before anyone's second.
    expect(new Set(subset.slice(0, 4).map((s) => s.subject)).size).toBe(4);
    expect(subset.map((s) => s.file)).toEqual(loadBonaFideFolder(path.join(dir, 'lfw'), 'bona-fide', 6).map((s) => s.file));
    expect(subset.every((s) => s.file.endsWith('_0001.jpg') || s.file.endsWith('_0002.jpg'))).toBe(true);
  });

  it('says which folder is missing', () => {
    expect(() => loadBonaFideFolder(path.join(dir, 'nowhere'), 'holdout')).toThrow(/bona fide folder not found/);
  });
});
