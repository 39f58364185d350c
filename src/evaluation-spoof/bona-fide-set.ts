/**
 * Genuine photos from folders of people, for the PAD evaluation beside the spoof set: `<dir>/<person>/<file>` (the
 * layout of ../shared/datasets/identities) or `<dir>/images/<person>/<file>` (LFW's, ../shared/datasets/lfw-dev).
 * The subject is the person, prefixed with the folder's name so that two folders never share a subject.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { isImageName, type SampleGroup, type SpoofSample } from './spoof-set.js';

/**
 * Every bona fide image of the folder, or a deterministic subset of at most `limit` spread across people: people in
 * a fixed pseudo-random order (sha256 of the name), one image each per round (the first in file order, then the
 * second, ...), so a subset of N images shows min(N, people) different people.
 */
export function loadBonaFideFolder(dir: string, group: Exclude<SampleGroup, 'spoof'>, limit = Number.POSITIVE_INFINITY): SpoofSample[] {
  if (!existsSync(dir)) throw new Error(`bona fide folder not found: ${dir} (expected <dir>/<person>/<image> or <dir>/images/<person>/<image>)`);
  const root = existsSync(path.join(dir, 'images')) && statSync(path.join(dir, 'images')).isDirectory() ? path.join(dir, 'images') : dir;
  const setName = path.basename(path.resolve(dir));
  const people = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name)
    .map((person) => ({ person, files: readdirSync(path.join(root, person)).filter(isImageName).sort(naturalOrder) }))
    .filter((p) => p.files.length > 0);
  if (!people.length) throw new Error(`no <person>/<image> folders under ${root}`);
  const order = people.map((p) => ({ ...p, rank: createHash('sha256').update(p.person).digest('hex') })).sort((a, b) => (a.rank < b.rank ? -1 : 1));
  const picked: SpoofSample[] = [];
  for (let round = 0; picked.length < limit; round++) {
    const before = picked.length;
    for (const { person, files } of order) {
      const file = files[round];
      if (file === undefined) continue;
      picked.push({
        root, file: `${person}/${file}`, group, label: 'real', attackType: null, subject: `${setName}:${person}`, sha256: null, tightCrops: false,
      });
      if (picked.length >= limit) break;
    }
    if (picked.length === before) break;
  }
  return picked;
}

/** "2.jpg" before "10.jpg". */
const naturalOrder = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });
