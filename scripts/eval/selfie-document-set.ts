/**
 * Selfie vs document portrait, the comparison enrolment makes. No dataset pairs a person's selfies with a real
 * passport of theirs, so pages are printed in memory (test/support/passport-page.ts) from one photo of each person
 * in --identities: into the ICAO "Utopia" specimen page and into our synthetic page. Genuine pairs: a page against
 * that person's other photos. Impostor pairs: a page against everyone else's photos, and every real specimen
 * portrait in --documents against every photo. Pages are built at run time and never written to disk.
 */
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { makePassportPage, makeSyntheticPassportPage } from '../../test/support/passport-page.js';
import type { EvalImage, EvalPair, EvalSet } from '../../src/evaluation/eval-set.js';
import { loadDocumentSet } from '../../src/evaluation/document-set.js';

const IMAGE_FILE = /\.(jpe?g|png|webp)$/i;

export async function loadSelfieDocumentSet(identitiesRoot: string, documentsRoot: string, limit?: number): Promise<EvalSet> {
  const people = (await readdir(identitiesRoot, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const images = new Map<string, EvalImage>();
  const photosOf = new Map<string, string[]>();
  for (const person of people) {
    const files = (await readdir(path.join(identitiesRoot, person))).filter((f) => IMAGE_FILE.test(f)).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
    if (files.length < 2) continue;
    const ids = files.map((f) => path.posix.join(person, f));
    photosOf.set(person, ids);
    for (const id of ids) {
      images.set(id, { id, identity: person, fold: 0, role: 'selfie', subject: 'whole-image', load: () => readFile(path.join(identitiesRoot, id)) });
    }
  }
  const pages: EvalImage[] = [];
  for (const [person, ids] of photosOf) {
    const source = path.join(identitiesRoot, ids[0] as string);
    pages.push(
      { id: `icao-page:${ids[0]}`, identity: person, fold: 0, role: 'document', subject: 'whole-image', load: () => makePassportPage({ facePhoto: source }) },
      { id: `synthetic-page:${ids[0]}`, identity: person, fold: 0, role: 'document', subject: 'whole-image', load: () => makeSyntheticPassportPage(source) },
    );
  }
  const specimens = [...(await loadDocumentSet(documentsRoot)).images.values()];
  const pairs: EvalPair[] = [];
  for (const page of pages) {
    images.set(page.id, page);
    for (const [person, ids] of photosOf) {
      for (const id of person === page.identity ? ids.slice(1) : ids) pairs.push({ a: id, b: page.id, same: person === page.identity, fold: 0 });
    }
  }
  for (const doc of specimens) {
    images.set(`specimen:${doc.id}`, { ...doc, id: `specimen:${doc.id}` });
    for (const ids of photosOf.values()) for (const id of ids) pairs.push({ a: id, b: `specimen:${doc.id}`, same: false, fold: 0 });
  }
  const kept = limit === undefined ? pairs : [...pairs.filter((p) => p.same).slice(0, Math.ceil(limit / 2)), ...pairs.filter((p) => !p.same).slice(0, Math.ceil(limit / 2))];
  const used = new Set(kept.flatMap((p) => [p.a, p.b]));
  return {
    name: 'selfie-vs-document',
    description:
      `selfie vs document portrait: pages printed from one photo of each of ${photosOf.size} people (ICAO specimen page and synthetic page) ` +
      `against their other photos and everyone else's, plus ${specimens.length} real specimen portraits against every photo (impostors)`,
    root: identitiesRoot,
    images: new Map([...images].filter(([id]) => used.has(id))),
    pairs: kept,
    folds: 1,
    allPairsWithinFolds: false,
    provenance: { people: photosOf.size, pages: pages.length, specimens: specimens.length, documentsRoot },
  };
}
