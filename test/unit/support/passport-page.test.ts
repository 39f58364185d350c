import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  describeIfDatasets,
  documentPath,
  documentSpecimens,
  identityFaceBox,
  identityImages,
} from '../../support/datasets.js';
import {
  DEFAULT_SPECIMEN,
  makePassportPage,
  makeSyntheticPassportPage,
  specimenPortraitArea,
  SYNTHETIC_PAGE,
  type Rect,
} from '../../support/passport-page.js';

/** A small made-up "face": a skin-coloured oval with dark eyes on a coloured background. */
async function fakeFace(background: string): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="120" height="160">
    <rect width="100%" height="100%" fill="${background}" />
    <ellipse cx="60" cy="75" rx="38" ry="50" fill="#e0b090" />
    <circle cx="46" cy="65" r="5" fill="#222" /><circle cx="74" cy="65" r="5" fill="#222" />
    <rect x="45" y="100" width="30" height="5" fill="#a04040" /></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** Mean absolute RGB difference between two images of the same size, inside `rect` and outside it. */
async function difference(a: Buffer | string, b: Buffer | string, rect: Rect): Promise<{ inside: number; outside: number }> {
  const decode = (img: Buffer | string) =>
    sharp(img, { autoOrient: true }).flatten({ background: '#ffffff' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const [ra, rb] = await Promise.all([decode(a), decode(b)]);
  expect([rb.info.width, rb.info.height]).toEqual([ra.info.width, ra.info.height]);
  const { width, channels } = ra.info;
  const sums = { inside: 0, insideN: 0, outside: 0, outsideN: 0 };
  for (let i = 0; i < ra.data.length; i += 1) {
    const pixel = Math.floor(i / channels);
    const x = pixel % width;
    const y = Math.floor(pixel / width);
    const inRect = x >= rect.left && x < rect.left + rect.width && y >= rect.top && y < rect.top + rect.height;
    const d = Math.abs((ra.data[i] ?? 0) - (rb.data[i] ?? 0));
    if (inRect) [sums.inside, sums.insideN] = [sums.inside + d, sums.insideN + 1];
    else [sums.outside, sums.outsideN] = [sums.outside + d, sums.outsideN + 1];
  }
  return { inside: sums.inside / sums.insideN, outside: sums.outside / sums.outsideN };
}

describe('synthetic passport page', () => {
  it('is a JPEG of the page size with the face in the portrait area and nowhere else', async () => {
    const [blue, green] = await Promise.all([fakeFace('#3050c0'), fakeFace('#30a040')]);
    const [pageBlue, pageGreen] = await Promise.all([makeSyntheticPassportPage(blue), makeSyntheticPassportPage(green)]);

    const meta = await sharp(pageBlue).metadata();
    expect(meta.format).toBe('jpeg');
    expect([meta.width, meta.height]).toEqual([SYNTHETIC_PAGE.width, SYNTHETIC_PAGE.height]);

    const diff = await difference(pageBlue, pageGreen, SYNTHETIC_PAGE.portrait);
    expect(diff.inside).toBeGreaterThan(10);
    expect(diff.outside).toBeLessThan(1);
  });

  it('turns the page when asked to', async () => {
    const page = await makeSyntheticPassportPage(await fakeFace('#c03030'), { rotate: 90 });
    const meta = await sharp(page).metadata();
    expect([meta.width, meta.height]).toEqual([SYNTHETIC_PAGE.height, SYNTHETIC_PAGE.width]);
  });
});

describeIfDatasets('passport page from a specimen document', () => {
  const selfie = (): string => identityImages('facerec_obama')[0] ?? '';

  it('lists specimens with a visible portrait, the default among them', () => {
    const specimens = documentSpecimens();
    expect(specimens.length).toBeGreaterThan(10);
    expect(specimens.map((s) => s.file)).toContain(DEFAULT_SPECIMEN);
    for (const s of specimens) expect(existsSync(documentPath(s.file))).toBe(true);
  });

  it('gives absolute paths of a person’s photos, and their face box hints', () => {
    const photos = identityImages('facerec_obama');
    expect(photos.length).toBeGreaterThan(1);
    for (const photo of photos) expect(path.isAbsolute(photo) && existsSync(photo)).toBe(true);
    expect(identityFaceBox(selfie())?.w).toBeGreaterThan(50);
    expect(() => identityImages('nobody')).toThrow(/unknown identity/);
  });

  it('keeps the specimen’s size and replaces only its portrait', async () => {
    const page = await makePassportPage({ facePhoto: selfie() });
    const { area, pageWidth, pageHeight } = await specimenPortraitArea(DEFAULT_SPECIMEN);
    const meta = await sharp(page).metadata();
    expect(meta.format).toBe('jpeg');
    expect([meta.width, meta.height]).toEqual([pageWidth, pageHeight]);
    expect(area.height).toBeGreaterThan(200);

    const diff = await difference(page, documentPath(DEFAULT_SPECIMEN), area);
    expect(diff.inside).toBeGreaterThan(20);
    expect(diff.outside).toBeLessThan(3);
  });

  it('takes the face as bytes and turns the page', async () => {
    const page = await makePassportPage({ facePhoto: await readFile(selfie()), rotate: 270 });
    const { pageWidth, pageHeight } = await specimenPortraitArea(DEFAULT_SPECIMEN);
    const meta = await sharp(page).metadata();
    expect([meta.width, meta.height]).toEqual([pageHeight, pageWidth]);
  });

  it('places the face on the portrait of a specimen stored with an EXIF rotation', async () => {
    const specimen = 'doubango_ultimatemrz/Czech_passport_2005_MRZ_orient7_1300x1002.jpg';
    const page = await makePassportPage({ facePhoto: selfie(), specimen });
    const { area, pageWidth, pageHeight } = await specimenPortraitArea(specimen);
    expect([pageWidth, pageHeight]).toEqual([1300, 1002]);
    const diff = await difference(page, documentPath(specimen), area);
    expect(diff.inside).toBeGreaterThan(20);
    expect(diff.outside).toBeLessThan(4);
  });
});
