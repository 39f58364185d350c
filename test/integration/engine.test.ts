/**
 * The face-api engine with its real models on the real sample faces (samples/faces, built by
 * samples/build-samples.ts). Runs on whatever backend "auto" finds: wasm unless tfjs-node is installed.
 */
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/create-engine.js';
import { createFaceApiEngine } from '../../src/engine/face-api.engine.js';
import type { FaceEngine, RgbImage } from '../../src/engine/face-engine.js';
import { defaultManifestPath, type ModelManifest } from '../../src/engine/model-manifest.js';
import { ModelIntegrityError } from '../../src/shared/errors.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const FACES = join(ROOT, 'samples', 'faces');
const SLOW = 60_000;

interface SampleImage {
  file: string;
  kind: 'face' | 'group';
  faceCount?: number;
}

async function decode(input: string | Buffer): Promise<RgbImage> {
  const { data, info } = await sharp(input).rotate().removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

function distance(a: Float32Array, b: Float32Array): number {
  return Math.sqrt(a.reduce((sum, value, i) => sum + (value - b[i]!) ** 2, 0));
}

describe('face-api engine on sample faces', () => {
  let engine: FaceEngine;
  let crops: SampleImage[];
  let verifyMaxDistance: number;

  beforeAll(async () => {
    engine = await createEngine({ backend: 'auto', detector: 'ssd' });
    const samples = JSON.parse(await readFile(join(FACES, 'manifest.json'), 'utf8')) as { images: SampleImage[] };
    crops = samples.images.filter((image) => image.kind === 'face');
    const calibration = JSON.parse(await readFile(join(ROOT, 'models', 'calibration.json'), 'utf8'));
    verifyMaxDistance = calibration.models[engine.info.model].verifyMaxDistance;
  }, SLOW);
  afterAll(() => engine?.dispose());

  it('reports what produced its results', () => {
    expect(engine.info).toMatchObject({ name: 'face-api', model: 'faceapi-frnet-128', detector: 'ssd-mobilenet-v1', embeddingSize: 128 });
    expect(['wasm', 'tensorflow']).toContain(engine.info.backend);
  });

  it('finds exactly one face with a 128-d embedding in every selfie crop', async () => {
    expect(crops.length).toBeGreaterThanOrEqual(8);
    for (const crop of crops) {
      const image = await decode(join(FACES, crop.file));
      const faces = await engine.detectFaces(image);
      expect(faces, crop.file).toHaveLength(1);
      const [face] = faces;
      expect(face!.embedding).toBeInstanceOf(Float32Array);
      expect(face!.embedding).toHaveLength(128);
      expect(face!.landmarks).toHaveLength(68);
      expect(face!.score).toBeGreaterThanOrEqual(0.5);
      expect(face!.box.x + face!.box.width).toBeLessThanOrEqual(image.width);
      expect(face!.box.y + face!.box.height).toBeLessThanOrEqual(image.height);
    }
  }, SLOW);

  it('finds every face of a group photo, largest first', async () => {
    const faces = await engine.detectFaces(await decode(join(FACES, 'group-sample1.jpg')));
    expect(faces.length).toBe(3);
    const areas = faces.map((face) => face.box.width * face.box.height);
    expect(areas).toEqual([...areas].sort((a, b) => b - a));
  }, SLOW);

  it('puts a re-framed photo of the same face closer than any other person', async () => {
    const file = 'sample6-face2.jpg';
    const original = await engine.detectFaces(await decode(join(FACES, file)));
    // Another "selfie" of the same face: tighter, brighter, smaller, recompressed.
    const reframed = await sharp(join(FACES, file))
      .extract({ left: 60, top: 40, width: 480, height: 480 })
      .resize(420, 420)
      .modulate({ brightness: 1.15 })
      .jpeg({ quality: 80 })
      .toBuffer();
    const again = await engine.detectFaces(await decode(reframed));
    const same = distance(original[0]!.embedding, again[0]!.embedding);
    expect(same).toBeLessThan(verifyMaxDistance);

    const others = crops.filter((crop) => crop.file !== file).slice(0, 6);
    for (const other of others) {
      const [face] = await engine.detectFaces(await decode(join(FACES, other.file)));
      expect(distance(original[0]!.embedding, face!.embedding), other.file).toBeGreaterThan(same);
    }
  }, SLOW);

  it('does not leak tensors over 20 detections', async () => {
    const images = await Promise.all(crops.slice(0, 4).map((crop) => decode(join(FACES, crop.file))));
    images.push(await decode(join(FACES, 'group-sample1.jpg')));
    const before = engine.tensorCount();
    for (let i = 0; i < 20; i++) await engine.detectFaces(images[i % images.length]!);
    expect(engine.tensorCount()).toBe(before);
  }, 3 * SLOW); // 20 SSD detections: seconds on a quiet machine, a minute when the CI machine is busy

  it('rejects an image whose buffer does not match its size', async () => {
    await expect(engine.detectFaces({ data: new Uint8Array(10), width: 4, height: 4 })).rejects.toThrow(RangeError);
  });

  it('runs the tiny detector beside SSD, sharing the loaded nets', async () => {
    const tiny = await createFaceApiEngine({ backend: 'auto', detector: 'tiny' });
    try {
      expect(tiny.info.detector).toBe('tiny-face-detector');
      expect(await tiny.detectFaces(await decode(join(FACES, 'sample6-face2.jpg')))).toHaveLength(1);
    } finally {
      await tiny.dispose();
    }
    // Disposing one engine must not unload the nets the other still uses.
    expect(await engine.detectFaces(await decode(join(FACES, 'sample6-face1.jpg')))).toHaveLength(1);
  }, SLOW);
});

describe('face-api engine start-up checks', () => {
  let dir: string;
  let manifest: ModelManifest;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zinda-engine-'));
    manifest = JSON.parse(await readFile(defaultManifestPath(), 'utf8')) as ModelManifest;
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  async function writeManifest(name: string, files: ModelManifest['files']): Promise<string> {
    const path = join(dir, name);
    await writeFile(path, JSON.stringify({ ...manifest, files }));
    return path;
  }

  it('refuses to start when a model checksum in the manifest does not match', async () => {
    const files = manifest.files.map((file) =>
      file.file.endsWith('face_recognition_model.bin') ? { ...file, sha256: '0'.repeat(64) } : file,
    );
    const start = createFaceApiEngine({ backend: 'auto', detector: 'ssd', manifestPath: await writeManifest('bad-sha.json', files) });
    await expect(start).rejects.toBeInstanceOf(ModelIntegrityError);
    await expect(start).rejects.toThrow(/face_recognition_model\.bin/);
  });

  it('refuses to start when the manifest does not pin a net the engine needs', async () => {
    const files = manifest.files.filter((file) => file.role !== 'face-landmark-68');
    const start = createFaceApiEngine({ backend: 'auto', detector: 'ssd', manifestPath: await writeManifest('no-landmarks.json', files) });
    await expect(start).rejects.toThrow(/pins no file for: face-landmark-68/);
  });

  it('refuses to start when the model directory lacks the files', async () => {
    const start = createFaceApiEngine({ backend: 'auto', detector: 'tiny', modelDir: join(dir, 'empty') });
    await expect(start).rejects.toThrow(/Model file missing/);
  });
});
