/**
 * The production engine looks at large photos through a shrunken copy (src/engine/human/detection-scale.ts) and cuts
 * the aligned crop from the full image. This checks, with the real models on shipped sample faces enlarged to a
 * phone camera's size, that it finds the same face in the same place with practically the same embedding as looking
 * at the full image, and that a small face in a large image is still found (it is looked at in full).
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { euclideanDistance } from '../../src/domain/verification/decision.js';
import { createEngine } from '../../src/engine/create-engine.js';
import type { FaceEngine, RgbImage } from '../../src/engine/face-engine.js';
import { DETECTION_MAX_SIDE } from '../../src/engine/human/detection-scale.js';
import { decodeRgb } from '../../src/images/image-codec.js';

const SAMPLES = ['samples/faces/sample1-face1.jpg', 'samples/faces/sample2-face1.jpg', 'samples/faces/sample5-face5.jpg'];

let shrinking: FaceEngine;
let fullSize: FaceEngine;

beforeAll(async () => {
  const base = { backend: 'wasm', detector: 'ssd', minDetectionScore: 0.5, model: 'human-faceapi-frnet-5pt' } as const;
  shrinking = await createEngine(base);
  fullSize = await createEngine({ ...base, human: { detectionMaxSide: 100_000 } });
});
afterAll(async () => {
  await shrinking?.dispose();
  await fullSize?.dispose();
});

/** A sample enlarged so that its longer side is `side` px, as a camera photo would be. */
async function enlarged(file: string, side: number): Promise<RgbImage> {
  return decodeRgb(await sharp(file).resize(side, side, { fit: 'inside' }).jpeg({ quality: 92 }).toBuffer());
}

describe('detection on a shrunken copy of large photos', () => {
  it.each(SAMPLES)('finds the face of %s in the same place, with an embedding as good as at full size', async (file) => {
    const image = await enlarged(file, 2 * DETECTION_MAX_SIDE);
    const [shrunk] = await shrinking.detectFaces(image);
    const [full] = await fullSize.detectFaces(image);
    expect(shrunk && full).toBeTruthy();
    if (!shrunk || !full) return;
    for (const key of ['x', 'y', 'width', 'height'] as const) expect(Math.abs(shrunk.box[key] - full.box[key])).toBeLessThan(0.05 * full.box.width);
    // Far below the verify threshold (0.378): the two views give the same identity.
    expect(euclideanDistance(shrunk.embedding, full.embedding)).toBeLessThan(0.08);
  });

  it('still finds a small face in a large photo (looked at in full)', async () => {
    const face = await sharp(SAMPLES[0]).resize(160, 160, { fit: 'inside' }).toBuffer();
    const canvas = await sharp({ create: { width: 2000, height: 1500, channels: 3, background: { r: 200, g: 196, b: 190 } } })
      .composite([{ input: face, left: 1200, top: 300 }])
      .jpeg({ quality: 92 })
      .toBuffer();
    const [found] = await shrinking.detectFaces(await decodeRgb(canvas));
    expect(found).toBeTruthy();
    expect(found!.box.x).toBeGreaterThan(1180);
    expect(found!.box.x + found!.box.width).toBeLessThan(1380);
  });

  it('leaves no tensors behind', async () => {
    const image = await enlarged(SAMPLES[1] as string, 1700);
    await shrinking.detectFaces(image);
    const before = shrinking.tensorCount();
    for (let i = 0; i < 3; i++) await shrinking.detectFaces(image);
    expect(shrinking.tensorCount()).toBe(before);
  });
});
