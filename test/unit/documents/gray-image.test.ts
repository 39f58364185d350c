import { describe, expect, it } from 'vitest';
import { dilate, erode, otsuThreshold, rotateQuarter, type GrayImage } from '../../../src/documents/ocr/gray-image.js';

function random(width: number, height: number, seed = 7): GrayImage {
  let s = seed;
  const data = new Uint8Array(width * height).map(() => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % 256;
  });
  return { data, width, height };
}

function naive(img: GrayImage, kw: number, kh: number, pick: (a: number, b: number) => number, pad: number): Uint8Array {
  const out = new Uint8Array(img.data.length);
  for (let y = 0; y < img.height; y += 1) {
    for (let x = 0; x < img.width; x += 1) {
      let v = pad === 0 ? 0 : 255;
      for (let dy = -(kh >> 1); dy <= kh >> 1; dy += 1) {
        for (let dx = -(kw >> 1); dx <= kw >> 1; dx += 1) {
          const yy = y + dy;
          const xx = x + dx;
          v = pick(v, yy < 0 || yy >= img.height || xx < 0 || xx >= img.width ? pad : img.data[yy * img.width + xx]!);
        }
      }
      out[y * img.width + x] = v;
    }
  }
  return out;
}

describe('grey-level image operations', () => {
  it('dilates and erodes like the direct definition', () => {
    const img = random(37, 23);
    expect(dilate(img, 5, 3).data).toEqual(naive(img, 5, 3, Math.max, 0));
    expect(erode(img, 7, 5).data).toEqual(naive(img, 7, 5, Math.min, 255));
  });

  it('turns by quarters and back', () => {
    const img = random(5, 3);
    const once = rotateQuarter(img, 1);
    expect([once.width, once.height]).toEqual([3, 5]);
    // Clockwise: the bottom-left pixel comes to the top-left.
    expect(once.data[0]).toBe(img.data[2 * 5]);
    expect(rotateQuarter(rotateQuarter(once, 2), 1).data).toEqual(img.data);
  });

  it("splits a two-level image at Otsu's threshold", () => {
    const data = new Uint8Array(100).map((_, i) => (i < 50 ? 20 : 220));
    const t = otsuThreshold({ data, width: 10, height: 10 });
    expect(t).toBeGreaterThanOrEqual(20);
    expect(t).toBeLessThan(220);
  });
});
