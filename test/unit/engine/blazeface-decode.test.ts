/**
 * The engine's copy of Human's BlazeFace post-processing (src/engine/native/blazeface-decode.ts) on hand-made outputs:
 * the anchor layout, the order Human joins the four outputs in, tfjs' non-max suppression rules, and the box scaled,
 * enlarged and squared as Human hands it to the mesh. test/integration/engine-native.test.ts compares real faces.
 */
import { describe, expect, it } from 'vitest';
import { blazeFaceAnchors, blazeFaceRows, decodeFaceBoxes, nonMaxSuppression } from '../../../src/engine/native/blazeface-decode.js';

const ROW = 17;

describe('BlazeFace anchors', () => {
  it('are 512 anchors of stride 16 then 384 of stride 32, centred in their cells', () => {
    const anchors = blazeFaceAnchors();
    expect(anchors.length).toBe(896 * 2);
    expect([...anchors.subarray(0, 6)]).toEqual([8, 8, 8, 8, 24, 8]);
    expect([...anchors.subarray(512 * 2, 512 * 2 + 2)]).toEqual([16, 16]);
    expect([...anchors.subarray(-2)]).toEqual([240, 240]);
  });
});

describe('BlazeFace outputs joined as Human joins them', () => {
  it('puts the 512 stride-16 rows first, each logit beside its 16 regressors, whatever order the graph names them in', () => {
    const filled = (n: number, width: number, base: number) => ({ dims: [1, n, width], data: Float32Array.from({ length: n * width }, (_, i) => base + i) });
    const outputs = [filled(384, 16, 3000), filled(512, 1, 0), filled(384, 1, 1000), filled(512, 16, 10000)];
    const rows = blazeFaceRows(outputs);
    expect(rows.length).toBe(896 * ROW);
    expect([...rows.subarray(0, 3)]).toEqual([0, 10000, 10001]);
    expect([...rows.subarray(511 * ROW, 511 * ROW + 2)]).toEqual([511, 10000 + 511 * 16]);
    expect([...rows.subarray(512 * ROW, 512 * ROW + 2)]).toEqual([1000, 3000]);
  });

  it('refuses outputs that do not pair up', () => {
    expect(() => blazeFaceRows([{ dims: [1, 2, 1], data: new Float32Array(2) }])).toThrow(/expected 4/);
  });
});

describe('non-max suppression (tfjs rules)', () => {
  // Two overlapping boxes, one far away, one overlapping the first only a little.
  const boxes = Float32Array.from([0, 0, 10, 10, 1, 1, 11, 11, 50, 50, 60, 60, 9, 9, 19, 19]);

  it('keeps the best of overlapping boxes, by score, and only scores above the threshold', () => {
    expect(nonMaxSuppression(boxes, Float32Array.from([0.9, 0.95, 0.8, 0.7]), 20, 0.1, 0.5)).toEqual([1, 2, 3]);
    expect(nonMaxSuppression(boxes, Float32Array.from([0.9, 0.95, 0.5, 0.7]), 20, 0.1, 0.5)).toEqual([1, 3]);
  });

  it('drops a box whose overlap reaches the threshold and keeps one below it', () => {
    // Boxes 0 and 3 overlap by 1 / 199 of their union.
    expect(nonMaxSuppression(boxes, Float32Array.from([0.9, 0, 0, 0.8]), 20, 1 / 199, 0.5)).toEqual([0]);
    expect(nonMaxSuppression(boxes, Float32Array.from([0.9, 0, 0, 0.8]), 20, 0.01, 0.5)).toEqual([0, 3]);
  });

  it('takes the lower index first on equal scores and stops at the most asked for', () => {
    expect(nonMaxSuppression(boxes, Float32Array.from([0.9, 0.9, 0.9, 0.9]), 20, 0.1, 0.5)).toEqual([0, 2, 3]);
    expect(nonMaxSuppression(boxes, Float32Array.from([0.9, 0.9, 0.9, 0.9]), 2, 0.1, 0.5)).toEqual([0, 2]);
  });
});

describe('face boxes', () => {
  it('scales a detection to the square image, enlarges it 1.4 times and squares it with Human\'s rounding', () => {
    const anchors = blazeFaceAnchors();
    const rows = new Float32Array(896 * ROW).fill(0);
    for (let i = 0; i < 896; i += 1) rows[i * ROW] = -10; // every anchor scores sigmoid(-10)
    // Anchor 0 (centre 8, 8): centre offset 0, size 32 x 16 detector pixels, logit 3.
    rows.set([3, 0, 0, 32, 16], 0);
    const faces = decodeFaceBoxes(rows, anchors, 512, 0.5);
    expect(faces).toHaveLength(1);
    // In the 512 px square: start (-16, 0), end (48, 32); enlarged around (16, 16) to 89.6 x 44.8; squared: 89.6.
    expect(faces[0]).toEqual({ start: [-29, -29], end: [61, 61], confidence: Math.fround(1 / (1 + Math.exp(-3))) });
  });

  it('finds nothing when no score exceeds the threshold', () => {
    const rows = new Float32Array(896 * ROW).fill(-10);
    expect(decodeFaceBoxes(rows, blazeFaceAnchors(), 256, 0.5)).toEqual([]);
  });
});
