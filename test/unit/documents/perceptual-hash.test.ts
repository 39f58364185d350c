import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hammingDistance, perceptualHash, SAME_IMAGE_MAX_DISTANCE } from '../../../src/documents/image/perceptual-hash.js';

/** A page with text-like stripes and a dark block, different for each seed. */
function page(seed: number): Promise<Buffer> {
  const bars = Array.from({ length: 8 }, (_, i) => `<rect x="${40 + ((seed * 37 + i * 53) % 300)}" y="${60 + i * 50}" width="${200 + ((seed * 17 + i * 29) % 250)}" height="18" fill="#222"/>`);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="560"><rect width="100%" height="100%" fill="#f3eee3"/>
    <rect x="${30 + seed * 40}" y="80" width="200" height="260" fill="#556"/>${bars.join('')}</svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 90 }).toBuffer();
}

describe('perceptual hash', () => {
  it('is 64 bits as 16 hex digits, and stable under re-encoding and resizing', async () => {
    const original = await page(1);
    const hash = await perceptualHash(original);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    const reencoded = await sharp(original).resize(500).jpeg({ quality: 60 }).toBuffer();
    expect(hammingDistance(hash, await perceptualHash(reencoded))).toBeLessThanOrEqual(SAME_IMAGE_MAX_DISTANCE);
  });

  it('tells different pages apart, and hashes a turned photo upright when told its rotation', async () => {
    const a = await page(1);
    const b = await page(4);
    expect(hammingDistance(await perceptualHash(a), await perceptualHash(b))).toBeGreaterThan(SAME_IMAGE_MAX_DISTANCE);
    const sideways = await sharp(a).rotate(90).jpeg().toBuffer();
    expect(hammingDistance(await perceptualHash(a), await perceptualHash(sideways, 270))).toBeLessThanOrEqual(SAME_IMAGE_MAX_DISTANCE);
  });

  it('counts differing bits', () => {
    expect(hammingDistance('0000000000000000', 'ffffffffffffffff')).toBe(64);
    expect(hammingDistance('00000000000000f0', '0000000000000000')).toBe(4);
  });
});
