/**
 * ENGINE_BACKEND=native: Human's BlazeFace and face mesh driven by the engine and face-api's FaceRecognitionNet, all
 * three rebuilt as ONNX graphs (src/engine/native) and run on onnxruntime-node, must find the faces, boxes, scores and
 * landmarks Human finds on tfjs WASM and give the same embeddings, on the shipped samples and on real people from
 * ../shared/datasets/identities, so a pensioner's match does not depend on where the engine runs. Needs a host where
 * onnxruntime-node loads (linux-x64, as CI); the wasm path stays tested by every other engine test.
 *
 * Tolerances: landmarks and boxes within 1 px (Human truncates mesh points to whole pixels, so a float rounding
 * across a pixel edge moves a point by one; measured: none moved), scores within 0.01 (Human rounds them to
 * hundredths; measured: equal), embeddings within 1e-4 per value and 1 - cosine <= 1e-3, and every match decision
 * between the images equal. The PAD nets' scores on the same faces: within 1e-5.
 */
import { readdirSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/create-engine.js';
import type { FaceEngine, FaceFinding } from '../../src/engine/face-engine.js';
import { loadCalibration } from '../../src/config/calibration.js';
import { decideMatch, euclideanDistance } from '../../src/domain/verification/decision.js';
import { createHumanEngine } from '../../src/engine/human.engine.js';
import { defaultManifestPath } from '../../src/engine/model-manifest.js';
import { createHumanPadModel } from '../../src/engine/pad/human-pad.model.js';
import type { PadModel } from '../../src/engine/pad/pad-model.js';
import { decodeRgb, normalizeUpload } from '../../src/images/image-codec.js';
import { ModelIntegrityError } from '../../src/shared/errors.js';
import { datasetsAvailable, datasetsDir, identityImages, identityPeople } from '../support/datasets.js';

const SAMPLES = ['sample1-face1.jpg', 'sample2-face1.jpg', 'sample4-face1.jpg', 'sample5-face5.jpg', 'group-sample1.jpg'].map((f) => `samples/faces/${f}`);
const PEOPLE = datasetsAvailable() ? identityPeople().slice(0, 6).flatMap((person) => identityImages(person).slice(0, 2)) : [];

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

/** Largest coordinate difference between two findings' boxes and landmarks, in pixels. */
function pixelGap(a: FaceFinding, b: FaceFinding): number {
  const boxGap = Math.max(...(['x', 'y', 'width', 'height'] as const).map((k) => Math.abs(a.box[k] - b.box[k])));
  const landmarkGap = Math.max(...a.landmarks.map((p, i) => Math.max(Math.abs(p.x - b.landmarks[i]!.x), Math.abs(p.y - b.landmarks[i]!.y))));
  return Math.max(boxGap, landmarkGap);
}

describe('native detector, mesh and embedding net (onnxruntime)', () => {
  /** The largest face of each image, per backend, for the pairwise decisions below. */
  const firstFaces: { wasm: Float32Array; native: Float32Array }[] = [];

  it('reports which nets run natively', () => {
    expect(wasm.info.backend).toBe('wasm');
    expect(native.info.backend).toBe('wasm+onnxruntime:blazeface,facemesh,face-recognition');
    expect(native.info.model).toBe(wasm.info.model);
  });

  it.each([...SAMPLES, ...PEOPLE])('finds the faces, landmarks and embeddings tfjs finds in %s', async (file) => {
    const image = await decodeRgb(await readFile(file));
    const expected = await wasm.detectFaces(image);
    const actual: FaceFinding[] = await native.detectFaces(image);
    expect(expected.length).toBeGreaterThan(0);
    expect(actual.length).toBe(expected.length);
    actual.forEach((face, i) => {
      const reference = expected[i] as FaceFinding;
      expect(pixelGap(face, reference)).toBeLessThanOrEqual(1);
      expect(Math.abs(face.score - reference.score)).toBeLessThanOrEqual(0.01);
      expect(cosineGap(face.embedding, reference.embedding)).toBeLessThanOrEqual(1e-3);
      expect(maxAbsDiff(face.embedding, reference.embedding)).toBeLessThanOrEqual(1e-4);
    });
    firstFaces.push({ wasm: expected[0]!.embedding, native: actual[0]!.embedding });
  });

  it('makes the same match decision as tfjs for every pair of those faces', () => {
    const calibration = loadCalibration(base.model);
    let pairs = 0;
    for (let i = 0; i < firstFaces.length; i += 1) {
      for (let j = i + 1; j < firstFaces.length; j += 1) {
        const [a, b] = [firstFaces[i]!, firstFaces[j]!];
        const onWasm = euclideanDistance(a.wasm, b.wasm);
        const onNative = euclideanDistance(a.native, b.native);
        expect(Math.abs(onNative - onWasm)).toBeLessThanOrEqual(1e-4);
        expect(decideMatch(onNative, calibration)).toEqual(decideMatch(onWasm, calibration));
        pairs += 1;
      }
    }
    expect(pairs).toBeGreaterThanOrEqual(10);
  });

  it('leaves no tensors behind', async () => {
    const image = await decodeRgb(await readFile(SAMPLES[0] as string));
    await native.detectFaces(image);
    const before = native.tensorCount();
    await native.detectFaces(image);
    expect(native.tensorCount()).toBe(before);
  });
});

describe('native PAD nets (onnxruntime)', () => {
  // Spoof photos as the API stores them (at most 2000 px a side): tfjs WASM's cropAndResize computes pixel offsets
  // in float32, so on an image of more than 2^24 values it reads the wrong pixels; stored uploads never are one.
  const spoofImages = (kind: string) => readdirSync(join(datasetsDir(), 'spoof', kind)).filter((f) => f.endsWith('.jpg')).sort().slice(0, 4).map((f) => join(datasetsDir(), 'spoof', kind, f));
  const SPOOF = datasetsAvailable() ? ['attack', 'real'].flatMap(spoofImages) : [];
  let pads: { wasm: PadModel; native: PadModel };
  beforeAll(async () => {
    pads = { wasm: await createHumanPadModel({ backend: 'wasm' }), native: await createHumanPadModel({ backend: 'native' }) };
  });
  afterAll(async () => {
    await pads?.wasm.dispose();
    await pads?.native.dispose();
  });

  it('reports that the nets run on onnxruntime', () => {
    expect(pads.wasm.info.backend).toBe('wasm');
    expect(pads.native.info.backend).toBe('onnxruntime');
  });

  it.each([...SAMPLES, ...SPOOF])('gives the tfjs antispoof and liveness scores on %s', async (file) => {
    const { jpeg } = await normalizeUpload(await readFile(file), 'selfie', { maxPixels: 40_000_000, maxSide: 2000 });
    const image = await decodeRgb(jpeg);
    const face = (await wasm.detectFaces(image))[0];
    if (!face) return; // a spoof photo without a detectable face: nothing to score
    const [expected, actual] = [await pads.wasm.score(image, face.box), await pads.native.score(image, face.box)];
    expect(Math.abs(actual.antispoof - expected.antispoof)).toBeLessThanOrEqual(1e-5);
    expect(Math.abs(actual.liveness - expected.liveness)).toBeLessThanOrEqual(1e-5);
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

  it('refuses to start the PAD nets when their rebuilt graph differs from models/manifest.json', async () => {
    const manifest = JSON.parse(await readFile(defaultManifestPath(), 'utf8')) as { generated: { role: string; sha256: string }[] };
    const liveness = manifest.generated.find((g) => g.role === 'liveness');
    if (!liveness) throw new Error('models/manifest.json pins no liveness graph');
    liveness.sha256 = '0'.repeat(64);
    const path = join(dir, 'pad.json');
    await writeFile(path, JSON.stringify(manifest));
    await expect(createHumanPadModel({ backend: 'native', manifestPath: path })).rejects.toThrow(/liveness\.onnx differs from its pin/);
    await expect(createHumanPadModel({ backend: 'auto', manifestPath: path })).rejects.toBeInstanceOf(ModelIntegrityError);
  });

  it('refuses to start when the manifest pins no generated graph, even under auto', async () => {
    const manifest = JSON.parse(await readFile(defaultManifestPath(), 'utf8')) as Record<string, unknown>;
    delete manifest.generated;
    const path = join(dir, 'unpinned.json');
    await writeFile(path, JSON.stringify(manifest));
    await expect(createHumanEngine({ backend: 'auto', embedder: 'faceapi-frnet', manifestPath: path })).rejects.toThrow(/pins no generated native model/);
  });
});
