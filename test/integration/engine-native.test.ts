/**
 * ENGINE_BACKEND=native: face-api's FaceRecognitionNet rebuilt as an ONNX graph (src/engine/native) and run on
 * onnxruntime-node must give the embeddings the tfjs (wasm) net gives, on the shipped samples and on real people from
 * ../shared/datasets/identities, so a pensioner's match does not depend on where the engine runs. Needs a host where
 * onnxruntime-node loads (linux-x64, as CI); the wasm path stays tested by every other engine test.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/create-engine.js';
import type { FaceEngine, FaceFinding } from '../../src/engine/face-engine.js';
import { createHumanEngine } from '../../src/engine/human.engine.js';
import { defaultManifestPath } from '../../src/engine/model-manifest.js';
import { decodeRgb } from '../../src/images/image-codec.js';
import { ModelIntegrityError } from '../../src/shared/errors.js';
import { datasetsAvailable, identityImages, identityPeople } from '../support/datasets.js';

const SAMPLES = ['sample1-face1.jpg', 'sample2-face1.jpg', 'sample4-face1.jpg', 'sample5-face5.jpg', 'group-sample1.jpg'].map((f) => `samples/faces/${f}`);
const PEOPLE = datasetsAvailable() ? identityPeople().slice(0, 4).flatMap((person) => identityImages(person).slice(0, 2)) : [];

const base = { detector: 'ssd', minDetectionScore: 0.5, model: 'human-faceapi-frnet-5pt' } as const;
let wasm: FaceEngine;
let native: FaceEngine;

beforeAll(async () => {
  wasm = await createEngine({ ...base, backend: 'wasm' });
  native = await createEngine({ ...base, backend: 'native' });
});
afterAll(async () => {
  await wasm?.dispose();
  await native?.dispose();
});

function cosineGap(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  a.forEach((v, i) => {
    const w = b[i] as number;
    dot += v * w;
    na += v * v;
    nb += w * w;
  });
  return 1 - dot / Math.sqrt(na * nb);
}

const maxAbsDiff = (a: Float32Array, b: Float32Array): number => Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number))));

describe('native embedding net (onnxruntime)', () => {
  it('reports which nets run natively', () => {
    expect(wasm.info.backend).toBe('wasm');
    expect(native.info.backend).toBe('wasm+onnxruntime:face-recognition');
    expect(native.info.model).toBe(wasm.info.model);
  });

  it.each([...SAMPLES, ...PEOPLE])('gives the tfjs embedding of every face in %s', async (file) => {
    const image = await decodeRgb(await readFile(file));
    const expected = await wasm.detectFaces(image);
    const actual: FaceFinding[] = await native.detectFaces(image);
    expect(expected.length).toBeGreaterThan(0);
    expect(actual.map((f) => f.box)).toEqual(expected.map((f) => f.box));
    actual.forEach((face, i) => {
      const reference = (expected[i] as FaceFinding).embedding;
      expect(cosineGap(face.embedding, reference)).toBeLessThanOrEqual(1e-3);
      expect(maxAbsDiff(face.embedding, reference)).toBeLessThanOrEqual(1e-4);
    });
  });

  it('leaves no tensors behind', async () => {
    const image = await decodeRgb(await readFile(SAMPLES[0] as string));
    await native.detectFaces(image);
    const before = native.tensorCount();
    await native.detectFaces(image);
    expect(native.tensorCount()).toBe(before);
  });
});

describe('generated graph pin', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zinda-native-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('refuses to start when the rebuilt graph differs from models/manifest.json', async () => {
    const manifest = JSON.parse(await readFile(defaultManifestPath(), 'utf8')) as { generated: { sha256: string }[] };
    (manifest.generated[0] as { sha256: string }).sha256 = '0'.repeat(64);
    const path = join(dir, 'manifest.json');
    await writeFile(path, JSON.stringify(manifest));
    await expect(createHumanEngine({ backend: 'native', embedder: 'faceapi-frnet', manifestPath: path })).rejects.toThrow(ModelIntegrityError);
    await expect(createHumanEngine({ backend: 'native', embedder: 'faceapi-frnet', manifestPath: path })).rejects.toThrow(/differs from its pin/);
  });

  it('refuses to start when the manifest pins no generated graph, even under auto', async () => {
    const manifest = JSON.parse(await readFile(defaultManifestPath(), 'utf8')) as Record<string, unknown>;
    delete manifest.generated;
    const path = join(dir, 'unpinned.json');
    await writeFile(path, JSON.stringify(manifest));
    await expect(createHumanEngine({ backend: 'auto', embedder: 'faceapi-frnet', manifestPath: path })).rejects.toThrow(/pins no generated native model/);
  });
});
