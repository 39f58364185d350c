import { readdirSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { documentPhotoFingerprints } from '../../../src/documents/image/document-fingerprint.js';
import { hammingDistance } from '../../../src/documents/image/perceptual-hash.js';
import { makeSyntheticPassportPage, SYNTHETIC_PAGE } from '../../support/passport-page.js';

// Pages of one design with different holders: what every Tajik passport looks like to a whole-page hash.
const { portrait } = SYNTHETIC_PAGE;
const region = { x: portrait.left + 40, y: portrait.top + 40, width: portrait.width - 80, height: portrait.height - 100 };
const faces = readdirSync('samples/faces').filter((f) => /^sample\d-face\d\.jpg$/.test(f)).slice(0, 6);
const page = (face: string, number = '400000001') =>
  makeSyntheticPassportPage(`samples/faces/${face}`, { fields: { documentNumber: number } });

describe('document photo fingerprints', () => {
  it('tells pages of one design apart by their portraits, where the page hashes alone are nearly equal', async () => {
    const prints = await Promise.all(faces.map(async (f, k) => (await documentPhotoFingerprints(await page(f, String(400000001 + k)), region))[0]!));
    let closestPortraits = 64;
    let farthestPages = 0;
    for (let i = 0; i < prints.length; i++) {
      for (let j = i + 1; j < prints.length; j++) {
        closestPortraits = Math.min(closestPortraits, hammingDistance(prints[i]!.portraitHash, prints[j]!.portraitHash));
        farthestPages = Math.max(farthestPages, hammingDistance(prints[i]!.pageHash, prints[j]!.pageHash));
      }
    }
    expect(farthestPages).toBeLessThanOrEqual(10);
    expect(closestPortraits).toBeGreaterThan(32);
  });

  it('finds the same photo re-encoded, scaled down and cropped a little, and turned a quarter', async () => {
    const original = await page(faces[0]!);
    const [upright] = await documentPhotoFingerprints(original, region);
    expect(upright).toMatchObject({ turn: 0, pageHash: expect.stringMatching(/^[0-9a-f]{16}$/), portraitHash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const copy = await sharp(original).extract({ left: 10, top: 8, width: SYNTHETIC_PAGE.width - 20, height: SYNTHETIC_PAGE.height - 16 })
      .resize(700).jpeg({ quality: 60 }).toBuffer();
    const scale = 700 / (SYNTHETIC_PAGE.width - 20);
    const moved = { x: (region.x - 10) * scale, y: (region.y - 8) * scale, width: region.width * scale, height: region.height * scale };
    const [again] = await documentPhotoFingerprints(copy, moved);
    expect(hammingDistance(upright!.portraitHash, again!.portraitHash)).toBeLessThanOrEqual(32);
    expect(hammingDistance(upright!.pageHash, again!.pageHash)).toBeLessThanOrEqual(10);

    // Sideways, with the portrait where it lies on the turned page: one of its four turns is the upright photo.
    const sideways = await sharp(original).rotate(90).jpeg({ quality: 90 }).toBuffer();
    const turnedRegion = { x: SYNTHETIC_PAGE.height - region.y - region.height, y: region.x, width: region.height, height: region.width };
    const turns = await documentPhotoFingerprints(sideways, turnedRegion);
    expect(turns.map((t) => t.turn)).toEqual([0, 90, 180, 270]);
    expect(hammingDistance(upright!.portraitHash, turns[0]!.portraitHash)).toBeGreaterThan(64);
    expect(hammingDistance(upright!.portraitHash, turns[3]!.portraitHash)).toBeLessThanOrEqual(16);
    expect(hammingDistance(upright!.pageHash, turns[3]!.pageHash)).toBeLessThanOrEqual(12);
  });
});
