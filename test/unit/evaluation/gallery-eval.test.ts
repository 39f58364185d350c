/**
 * The gallery evaluation on a small synthetic set: embeddings come from a pre-filled cache (the engine is never
 * asked), so the test checks what is compared with what, not the face model.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fuseDistances } from '../../../src/domain/verification/gallery-fusion.js';
import { EmbeddingCache } from '../../../src/evaluation/embedding-cache.js';
import { sha256Of, type ImageResult } from '../../../src/evaluation/face-extraction.js';
import { summaryLine } from '../../../src/evaluation/gallery-cli.js';
import { runGalleryEvaluation } from '../../../src/evaluation/gallery-eval.js';
import type { PersonPhotos, PersonSet } from '../../../src/evaluation/gallery-set.js';
import type { FaceEngine } from '../../../src/engine/face-engine.js';

const rules = { minFacePx: 80, rivalAreaRatio: 0.35 };
const noEngine = new Proxy({}, { get: () => { throw new Error('the engine must not be asked: everything is cached'); } }) as FaceEngine;

describe('fusion rules', () => {
  it('min, mean and the mean of the best two', () => {
    expect(fuseDistances([0.5, 0.2, 0.8], 'min')).toBe(0.2);
    expect(fuseDistances([0.5, 0.2, 0.8], 'mean')).toBeCloseTo(0.5);
    expect(fuseDistances([0.5, 0.2, 0.8], 'mean-best-2')).toBeCloseTo(0.35);
    expect(fuseDistances([0.4], 'mean-best-2')).toBe(0.4);
    expect(() => fuseDistances([], 'mean')).toThrow(RangeError);
  });
});

describe('gallery evaluation', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'zinda-gallery-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  /** People on a line: person p's photos sit near p (noise n), one photo without a face where asked. */
  async function syntheticSet(photos: readonly number[], folds: number, faceless: ReadonlySet<string> = new Set()): Promise<PersonSet> {
    const cache = await EmbeddingCache.open(dir, 'synthetic');
    const people: PersonPhotos[] = [];
    for (const [p, count] of photos.entries()) {
      const identity = `person${p}`;
      const images = [];
      for (let n = 0; n < count; n++) {
        const id = `${identity}/${n}.jpg`;
        const bytes = Buffer.from(id);
        const embedding = Float32Array.from([p, n * 0.01]);
        const result: ImageResult = {
          sha256: sha256Of(bytes), role: 'selfie', width: 400, height: 400, reason: null, rejected: null,
          faces: faceless.has(id) ? [] : [{ box: { x: 100, y: 100, width: 200, height: 200 }, score: 0.9, embedding }],
          timings: { normalizeMs: 0, decodeMs: 0, inferenceMs: 0 },
        };
        await cache.put(`${sha256Of(bytes)}:selfie`, result);
        images.push({ id, identity, fold: p % folds, role: 'selfie' as const, subject: 'whole-image' as const, load: async () => bytes });
      }
      people.push({ identity, fold: p % folds, images });
    }
    return { name: 'identities', root: dir, folds, people };
  }

  const run = (set: PersonSet, gallerySize: number, maxImpostorPairs = 1_000_000) => runGalleryEvaluation({
    set, gallerySize, engine: noEngine, ops: {} as never, limits: { maxPixels: 1, maxSide: 1 }, selfieRules: rules,
    cacheDir: dir, cacheKey: 'synthetic', maxImpostorPairs, progress: { write: () => true }, now: new Date('2026-12-01T00:00:00Z'),
  });

  it('K references of each person with K+1 usable photos, the rest as genuine probes, impostors within the fold', async () => {
    // Two folds: people 0, 2, 4 and 1, 3. Person 4 has too few photos for a gallery of 2 but is still an impostor probe.
    const set = await syntheticSet([4, 3, 5, 3, 2], 2, new Set(['person2/4.jpg']));
    const { report, scores } = await run(set, 2);
    expect(report.peopleWithGallery).toBe(4);
    expect(report.unusable).toEqual({ SELFIE_NO_FACE: 1 });
    const mean = report.rules.find((r) => r.rule === 'mean')!;
    // Genuine: (4-2) + (3-2) + (4 usable - 2) + (3-2) = 6.
    expect(mean.genuine).toBe(6);
    // Fold 0 probes: 4 + 4 + 2 = 10 usable; galleries 0 and 2 see 6 each. Fold 1: 3 + 3; galleries 1 and 3 see 3 each.
    expect(mean.impostor).toBe(6 + 6 + 3 + 3);
    // Same person: distances of at most 0.04; different people: at least 1.
    expect(scores.get('mean')!.genuine.at(-1)).toBeLessThan(0.05);
    expect(scores.get('min')!.impostor[0]).toBeGreaterThanOrEqual(1);
    expect(report.ageWeighted.measured).toBe(false);
  });

  it('keeps every s-th impostor comparison beyond the bound, and says so', async () => {
    const set = await syntheticSet([3, 3, 3, 3, 3, 3], 1);
    const all = (await run(set, 1)).report;
    const sampled = (await run(set, 1, 40)).report;
    expect(all.impostorComparisons).toBe(6 * 15);
    expect(sampled.impostorSampledEvery).toBe(3);
    expect(sampled.impostorComparisons).toBe(30);
  });

  it('prints the summary line of the rule in force', async () => {
    const set = await syntheticSet([3, 3, 3], 1);
    const { report } = await run(set, 2);
    expect(summaryLine(report, 'mean-best-2', 'synthetic')).toMatch(
      /^gallery=2 fusion=mean-best-2 tar_at_far_1e-3=na tar_at_far_1e-4=na eer=\S+ genuine=3 impostor=18 engine=synthetic set=identities$/,
    );
  });
});
