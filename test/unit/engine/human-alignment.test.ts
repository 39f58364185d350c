/**
 * The pure parts of the Human engine (src/engine/human/): five-point alignment checked against transforms known in
 * advance, the tiles it searches large images in, and the shrunken copy its detector sees. (Kept with the evaluation tests that chose them.)
 */
import { describe, expect, it } from 'vitest';
import {
  ARCFACE_TEMPLATE_112, MESH_TO_IBUG68, applySimilarity, estimateSimilarity, fivePointsFromMesh, scaledTemplate, warpToCrop,
} from '../../../src/engine/human/alignment.js';
import { detectionView, toOriginal } from '../../../src/engine/human/detection-scale.js';
import { cropImage, overlapsAny, tilesOf } from '../../../src/engine/human/tiles.js';

describe('similarity transform', () => {
  it('recovers a known rotation, scale and translation from five points', () => {
    const angle = Math.PI / 6;
    const truth = { a: 2 * Math.cos(angle), b: 2 * Math.sin(angle), tx: 15, ty: -4 };
    const from = ARCFACE_TEMPLATE_112;
    const to = from.map((p) => applySimilarity(truth, p));
    const found = estimateSimilarity(from, to);
    expect(found.a).toBeCloseTo(truth.a, 9);
    expect(found.b).toBeCloseTo(truth.b, 9);
    expect(found.tx).toBeCloseTo(truth.tx, 9);
    expect(found.ty).toBeCloseTo(truth.ty, 9);
  });

  it('refuses points that coincide', () => {
    const same = [{ x: 1, y: 1 }, { x: 1, y: 1 }];
    expect(() => estimateSimilarity(same, same)).toThrow(/coincide/);
  });

  it('scales the ArcFace template to the net size and zooms around its centre', () => {
    expect(scaledTemplate(112)).toEqual(ARCFACE_TEMPLATE_112);
    const big = scaledTemplate(224);
    expect(big[0]!.x).toBeCloseTo(2 * 38.2946, 9);
    const loose = scaledTemplate(112, 0.5);
    // Eyes move halfway towards the centre (56, 56).
    expect(loose[0]!.x).toBeCloseTo(56 + (38.2946 - 56) / 2, 9);
  });
});

describe('warp', () => {
  // 4 x 4 image whose red channel is 10 * x + y, green 100, blue 0.
  const width = 4;
  const height = 4;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([10 * x + y, 100, 0], (y * width + x) * 3);
  const image = { data, width, height };

  it('copies pixels under the identity transform and fills outside the image with black', () => {
    const crop = warpToCrop(image, { a: 1, b: 0, tx: 0, ty: 0 }, 5);
    expect(crop[(2 * 5 + 3) * 3]).toBe(32); // (x 3, y 2)
    expect(crop[(2 * 5 + 3) * 3 + 1]).toBe(100);
    expect(crop[(4 * 5 + 4) * 3 + 1]).toBe(0); // (4, 4) lies outside the 4 x 4 image
  });

  it('interpolates bilinearly between pixels', () => {
    // Crop pixel u maps to image x = u / 2: crop (1, 0) is halfway between image (0, 0) and (1, 0).
    const crop = warpToCrop(image, { a: 2, b: 0, tx: 0, ty: 0 }, 3);
    expect(crop[1 * 3]).toBeCloseTo(5, 6);
  });
});

describe('mesh points', () => {
  it('takes eye centres as the mean of each eye contour, then nose tip and mouth corners', () => {
    const mesh = Array.from({ length: 468 }, (_, i) => [i, 1000 + i, 0]);
    const [leftEye, rightEye, nose, mouthLeft, mouthRight] = fivePointsFromMesh(mesh);
    const mean = (ids: number[]) => ids.reduce((s, v) => s + v, 0) / ids.length;
    expect(leftEye!.x).toBeCloseTo(mean([33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246]), 9);
    expect(rightEye!.y).toBeCloseTo(1000 + mean([263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466]), 9);
    expect(nose).toEqual({ x: 1, y: 1001 });
    expect([mouthLeft!.x, mouthRight!.x]).toEqual([61, 291]);
    expect(() => fivePointsFromMesh(mesh.slice(0, 100))).toThrow(/468/);
  });

  it('maps the mesh onto 68 distinct iBUG landmarks', () => {
    expect(MESH_TO_IBUG68).toHaveLength(68);
    expect(new Set(MESH_TO_IBUG68).size).toBe(68);
    expect(Math.max(...MESH_TO_IBUG68)).toBeLessThan(468);
  });
});

describe('tiles for small faces', () => {
  it('covers the whole image with overlapping squares of half the longer side', () => {
    const tiles = tilesOf(1334, 880);
    expect(tiles.every((t) => t.width === 667 && t.height === 667)).toBe(true);
    expect(tiles.map((t) => [t.x, t.y])).toEqual([[0, 0], [334, 0], [667, 0], [0, 213], [334, 213], [667, 213]]);
    expect(tilesOf(300, 300).map((t) => [t.x, t.y, t.width])).toEqual([0, 75, 150].flatMap((y) => [0, 75, 150].map((x) => [x, y, 150])));
    // Every pixel lies in some tile.
    for (const [x, y] of [[0, 0], [1333, 879], [700, 500], [1000, 100]]) {
      expect(tiles.some((t) => x! >= t.x && x! < t.x + t.width && y! >= t.y && y! < t.y + t.height)).toBe(true);
    }
  });

  it('cuts a tile out of an image and tells one face seen twice from two faces', () => {
    const data = Uint8Array.from({ length: 4 * 3 * 3 }, (_, i) => i);
    const tile = cropImage({ data, width: 4, height: 3 }, { x: 1, y: 1, width: 2, height: 2 });
    expect([...tile.data]).toEqual([15, 16, 17, 18, 19, 20, 27, 28, 29, 30, 31, 32]);
    const box = { x: 100, y: 100, width: 50, height: 50 };
    expect(overlapsAny({ x: 110, y: 105, width: 50, height: 50 }, [box])).toBe(true);
    expect(overlapsAny({ x: 140, y: 140, width: 50, height: 50 }, [box])).toBe(false);
  });
});

describe('detection view', () => {
  // 9 x 6 image: red = x, green = y, blue = 7.
  const width = 9;
  const height = 6;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([x, y, 7], (y * width + x) * 3);
  const image = { data, width, height };

  it('leaves an image within the limit as it is', () => {
    const view = detectionView(image, 9);
    expect(view.factor).toBe(1);
    expect(view.image).toBe(image);
  });

  it('shrinks by the smallest whole factor that fits, averaging each block', () => {
    const view = detectionView(image, 4); // 9 / 4 -> factor 3: 3 x 2
    expect(view.factor).toBe(3);
    expect([view.image.width, view.image.height]).toEqual([3, 2]);
    // Block (1, 1) covers x 3..5, y 3..5: mean red 4, green 4.
    expect(Array.from(view.image.data.subarray((1 * 3 + 1) * 3, (1 * 3 + 1) * 3 + 3))).toEqual([4, 4, 7]);
  });

  it('drops the leftover column and maps a point back to the centre of its block', () => {
    const view = detectionView(image, 5); // factor 2: 4 x 3, column 8 dropped
    expect([view.image.width, view.image.height]).toEqual([4, 3]);
    expect(view.image.data[(0 * 4 + 3) * 3]).toBe(7); // mean of x 6 and 7 = 6.5, rounded
    expect(toOriginal(3, 2)).toBe(6.5);
    expect(toOriginal(3, 1)).toBe(3);
  });
});
