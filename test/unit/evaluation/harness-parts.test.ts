/** The harness's plumbing: the embedding cache on disk, face choice from cached results, progress output. */
import { appendFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EmbeddingCache } from '../../../src/evaluation/embedding-cache.js';
import { subjectFace, type ExtractedFace, type ImageResult } from '../../../src/evaluation/face-extraction.js';
import { formatDuration, Progress } from '../../../src/evaluation/progress.js';

const face = (x: number, y: number, side: number, seed = 1): ExtractedFace => ({
  box: { x, y, width: side, height: side }, score: 0.9, embedding: Float32Array.from([seed, -seed / 3, 0.25, 1e-7]),
});

const result = (faces: ExtractedFace[], extra: Partial<ImageResult> = {}): ImageResult => ({
  sha256: 'ab'.repeat(32), role: 'selfie', width: 250, height: 250, faces, reason: null, rejected: null,
  timings: { normalizeMs: 1, decodeMs: 2, inferenceMs: 3 }, ...extra,
});

describe('embedding cache', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'zinda-cache-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('gives back exactly what was stored, after a restart, and ignores a line cut short by a killed run', async () => {
    const cache = await EmbeddingCache.open(dir, 'engine-a');
    const stored = result([face(10, 20, 100, 0.123456789), face(0, 0, 30, 2)]);
    await cache.put('k1', stored);
    await appendFile(cache.path, '{"key":"k2","result":{"sha2');
    const reopened = await EmbeddingCache.open(dir, 'engine-a');
    expect(reopened.size).toBe(1);
    const back = reopened.get('k1')!;
    expect(back.faces[0]!.embedding).toEqual(stored.faces[0]!.embedding);
    expect(back).toEqual(stored);
  });

  it('keeps engines apart', async () => {
    await (await EmbeddingCache.open(dir, 'engine-a')).put('k1', result([]));
    expect((await EmbeddingCache.open(dir, 'engine-b')).get('k1')).toBeUndefined();
  });
});

describe('face choice from a cached result', () => {
  const rules = { minFacePx: 80, rivalAreaRatio: 0.35 };

  it('LFW protocol: a bystander as large as the named person does not make the photo unusable', () => {
    const centre = face(70, 70, 110, 1);
    const bystander = face(0, 140, 100, 2);
    const r = result([centre, bystander]);
    expect(subjectFace(r, { subject: 'central', role: 'selfie' }, rules)).toEqual({ face: centre, reason: null });
    // The workers' own rule, on the whole photo, refuses it.
    expect(subjectFace(r, { subject: 'whole-image', role: 'selfie' }, rules)).toEqual({ face: null, reason: 'SELFIE_MULTIPLE_FACES' });
  });

  it('applies the selfie rules to the central face (too small) and reports no face when none covers the centre', () => {
    expect(subjectFace(result([face(100, 100, 60)]), { subject: 'central', role: 'selfie' }, rules).reason).toBe('SELFIE_FACE_TOO_SMALL');
    expect(subjectFace(result([face(0, 0, 100)]), { subject: 'central', role: 'selfie' }, rules).reason).toBe('SELFIE_NO_FACE');
  });

  it('takes the portrait analyseDocument chose, and passes on why an upload was refused', () => {
    const portrait = face(5, 5, 40);
    expect(subjectFace(result([portrait], { role: 'document' }), { subject: 'whole-image', role: 'document' }, rules).face).toBe(portrait);
    expect(subjectFace(result([], { role: 'document', reason: 'DOCUMENT_PORTRAIT_NOT_FOUND' }), { subject: 'whole-image', role: 'document' }, rules).reason)
      .toBe('DOCUMENT_PORTRAIT_NOT_FOUND');
    expect(subjectFace(result([], { rejected: 'IMAGE_TOO_SMALL' }), { subject: 'central', role: 'selfie' }, rules).reason).toBe('IMAGE_TOO_SMALL');
  });
});

describe('progress', () => {
  it('prints a plain line per tenth when not on a terminal, and the total time at the end', () => {
    const lines: string[] = [];
    let clock = 0;
    const progress = new Progress('lfw', 20, { isTTY: false, write: (t: string) => lines.push(t) }, () => clock);
    for (let k = 0; k < 20; k++) {
      clock += 100;
      progress.tick(k < 5 ? undefined : 150);
    }
    progress.finish();
    expect(lines.length).toBeLessThanOrEqual(12);
    expect(lines.at(-1)).toMatch(/^lfw {2}20\/20 {2}100% {2}5 cached {2}150 ms\/img {2}ETA 0s {2}done in/);
  });

  it('redraws one line with a bar on a terminal', () => {
    const out: string[] = [];
    const progress = new Progress('docs', 4, { isTTY: true, write: (t: string) => out.push(t) });
    progress.tick(10);
    expect(out[0]).toMatch(/^\r\[#{8}\.{22}\] docs {2}1\/4 {2}25%/);
  });

  it('formats durations', () => {
    expect([formatDuration(4_000), formatDuration(125_000), formatDuration(3_725_000)]).toEqual(['4s', '2m05s', '1h02m']);
  });
});
