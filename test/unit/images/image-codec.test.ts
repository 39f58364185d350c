import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeRgb, normalizeUpload } from '../../../src/images/image-codec.js';
import { sniffImageType } from '../../../src/images/image-type.js';
import { UploadRejectedError } from '../../../src/shared/errors.js';

const limits = { maxPixels: 40_000_000, maxSide: 2000 };
const face = readFileSync('samples/faces/sample1-face1.jpg');

async function rejection(bytes: Buffer, lim = limits): Promise<UploadRejectedError> {
  try {
    await normalizeUpload(bytes, 'selfie', lim);
  } catch (error) {
    if (error instanceof UploadRejectedError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('upload checks', () => {
  it('decides the type from the bytes, not the name', async () => {
    expect(sniffImageType(face)).toBe('jpeg');
    expect(sniffImageType(await sharp(face).png().toBuffer())).toBe('png');
    expect(sniffImageType(await sharp(face).webp().toBuffer())).toBe('webp');
    expect(sniffImageType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
  });

  it('refuses non-images with UNSUPPORTED_IMAGE_TYPE (415)', async () => {
    const e = await rejection(Buffer.from('%PDF-1.7 not a photo'));
    expect([e.code, e.status]).toEqual(['UNSUPPORTED_IMAGE_TYPE', 415]);
  });

  it('refuses a truncated JPEG as IMAGE_UNDECODABLE', async () => {
    expect((await rejection(face.subarray(0, 600))).code).toBe('IMAGE_UNDECODABLE');
  });

  it('refuses a pixel flood before decoding it', async () => {
    // 6000 x 6000 of one colour: a few dozen KB as PNG, 108 MB once decoded (limit set to 10 MP here).
    const bomb = await sharp({ create: { width: 6000, height: 6000, channels: 3, background: '#fff' } })
      .png({ compressionLevel: 9 }).toBuffer();
    expect(bomb.length).toBeLessThan(1_000_000);
    expect((await rejection(bomb, { maxPixels: 10_000_000, maxSide: 2000 })).code).toBe('IMAGE_TOO_MANY_PIXELS');
  });

  it('refuses tiny images', async () => {
    const tiny = await sharp({ create: { width: 32, height: 32, channels: 3, background: '#888' } }).jpeg().toBuffer();
    expect((await rejection(tiny)).code).toBe('IMAGE_TOO_SMALL');
  });

  it('applies EXIF orientation, caps the size and strips metadata', async () => {
    const rotated = await sharp(face).resize(300, 200, { fit: 'fill' }).withMetadata({ orientation: 6 }).jpeg().toBuffer();
    const out = await normalizeUpload(rotated, 'selfie', { maxPixels: 40_000_000, maxSide: 150 });
    expect([out.width, out.height]).toEqual([100, 150]);
    const meta = await sharp(out.jpeg).metadata();
    expect(meta.orientation).toBeUndefined();
    expect(meta.exif).toBeUndefined();
    expect(out.sourceSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('decodes to packed RGB for the engine', async () => {
    const rgb = await decodeRgb(face);
    expect(rgb.data.length).toBe(rgb.width * rgb.height * 3);
  });
});
