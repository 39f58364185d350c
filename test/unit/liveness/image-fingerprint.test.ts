import { readFileSync, readdirSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { fingerprintImage, hammingDistance, thumbnailDifference } from '../../../src/domain/liveness/image-fingerprint.js';
import { hashParts } from '../../../src/storage/repositories/image-fingerprint.repository.js';
import { decodeRgb } from '../../../src/images/image-codec.js';

const fp = async (bytes: Buffer) => fingerprintImage(await decodeRgb(await sharp(bytes).jpeg().toBuffer()));
const samples = readdirSync('samples/faces').filter((f) => f.endsWith('.jpg')).map((f) => readFileSync(`samples/faces/${f}`));

describe('perceptual fingerprints of whole images', () => {
  it('a re-encoded, rescaled or slightly brightened copy stays within 3 bits of 64', async () => {
    for (const image of samples.slice(0, 6)) {
      const original = await fp(image);
      for (const copy of [
        await sharp(image).jpeg({ quality: 70 }).toBuffer(),
        await sharp(image).resize({ width: 300 }).jpeg({ quality: 85 }).toBuffer(),
        await sharp(image).modulate({ brightness: 1.08 }).jpeg().toBuffer(),
      ]) {
        expect(hammingDistance(original.phash, (await fp(copy)).phash)).toBeLessThanOrEqual(3);
      }
    }
  });

  it('different photos are far apart (more than 8 bits between any two sample faces)', async () => {
    const prints = await Promise.all(samples.map(fp));
    for (let i = 0; i < prints.length; i++) {
      for (let j = i + 1; j < prints.length; j++) expect(hammingDistance(prints[i]!.phash, prints[j]!.phash)).toBeGreaterThan(8);
    }
  });

  it('the thumbnail tells the same frame (re-encoded) from the next frame of a moving person', async () => {
    const image = samples[0]!;
    const original = await fp(image);
    const reencoded = await fp(await sharp(image).jpeg({ quality: 80 }).toBuffer());
    const moved = await fp(await sharp(image).extend({ left: 12, top: 6, background: '#777777' }).extract({ left: 0, top: 0, width: 400, height: 400 }).jpeg().toBuffer());
    expect(thumbnailDifference(original.thumb, reencoded.thumb)).toBeLessThan(1);
    expect(thumbnailDifference(original.thumb, moved.thumb)).toBeGreaterThan(2);
  });

  it('splits a hash into four 16-bit index parts; hashes within 3 bits share one (pigeonhole)', () => {
    expect(hashParts('0123456789abcdef')).toEqual([0x0123, 0x4567, 0x89ab, 0xcdef]);
    const a = 'ffff0000ffff0000';
    const b = 'fffe0001fffe0000'; // 3 bits apart, in three parts
    expect(hammingDistance(a, b)).toBe(3);
    const [pa, pb] = [hashParts(a), hashParts(b)];
    expect(pa.some((p, k) => p === pb[k])).toBe(true);
  });
});
