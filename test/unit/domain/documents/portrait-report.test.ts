import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePortrait, type DocumentPortrait } from '../../../../src/domain/documents/portrait-report.js';
import { DEFAULT_QUALITY_THRESHOLDS } from '../../../../src/domain/quality/quality-thresholds.js';
import { analyseDocument } from '../../../../src/domain/verification/face-analysis.js';
import { createEngine } from '../../../../src/engine/create-engine.js';
import type { FaceEngine, FaceFinding } from '../../../../src/engine/face-engine.js';
import { cropRgb, decodeRgb } from '../../../../src/images/image-codec.js';
import { makeSyntheticPassportPage, SYNTHETIC_PAGE } from '../../../support/passport-page.js';

// The portrait report on a synthetic page carrying a sample face (samples/faces ship with the repository), through
// the production face pipeline, and on the same page made worse: smaller, blurred, glared.
let engine: FaceEngine;
let page: Buffer;
const ops = { decodeRgb, cropRgb };

beforeAll(async () => {
  engine = await createEngine({ backend: 'auto', detector: 'ssd', minDetectionScore: 0.5, model: 'human-faceapi-frnet-5pt' });
  page = await makeSyntheticPassportPage('samples/faces/sample1-face1.jpg');
});
afterAll(async () => {
  await engine?.dispose();
});

async function portraitOf(image: Buffer): Promise<{ face: FaceFinding; report: DocumentPortrait }> {
  const { face } = await analyseDocument(engine, ops, image);
  if (!face) throw new Error('no portrait found');
  return { face, report: describePortrait(await decodeRgb(image), face, DEFAULT_QUALITY_THRESHOLDS, 0) };
}

describe('document portrait report', () => {
  it('measures the printed portrait where it is on the page: resolution, sharpness, exposure, a grade', async () => {
    const { report } = await portraitOf(page);
    const { portrait } = SYNTHETIC_PAGE;
    expect(report.box.x).toBeGreaterThanOrEqual(portrait.left - 5);
    expect(report.box.x + report.box.width).toBeLessThanOrEqual(portrait.left + portrait.width + 5);
    expect(report.interEyePx).toBeGreaterThan(40);
    expect(report.interEyePx).toBeLessThan(120);
    expect(report.findings).toEqual([]);
    expect(report.grade).toBe(report.interEyePx >= 60 ? 'good' : 'fair');
    expect(report.rotationApplied).toBe(0);
    expect(Object.keys(report)).not.toContain('embedding');
  });

  it('reports a portrait printed or photographed too small as low resolution, and a match against it as poor', async () => {
    const full = (await portraitOf(page)).report;
    const small = await sharp(page).resize(Math.round(SYNTHETIC_PAGE.width * 0.3)).jpeg({ quality: 92 }).toBuffer();
    const { report } = await portraitOf(small);
    expect(report.interEyePx / full.interEyePx).toBeGreaterThan(0.25);
    expect(report.interEyePx / full.interEyePx).toBeLessThan(0.36);
    expect(report.findings).toContain('PORTRAIT_LOW_RESOLUTION');
    expect(report.grade).toBe('poor');
  });

  it('reports glare over the face and a blurred photo', async () => {
    const { face } = await portraitOf(page);
    const b = face.box;
    const glare = await sharp(page).composite([{
      input: Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${SYNTHETIC_PAGE.width}" height="${SYNTHETIC_PAGE.height}">
        <ellipse cx="${b.x + b.width / 2}" cy="${b.y + b.height / 2}" rx="${b.width * 0.45}" ry="${b.height * 0.3}" fill="#fff"/></svg>`),
    }]).jpeg({ quality: 92 }).toBuffer();
    // The glared face is measured where the clean page showed it (a detector may not find a face half white).
    const glared = describePortrait(await decodeRgb(glare), face, DEFAULT_QUALITY_THRESHOLDS, 0);
    expect(glared.findings).toContain('PORTRAIT_GLARE');
    expect(glared.glare).toBeGreaterThan(0.2);
    expect(glared.grade).toBe('poor');

    const blurred = describePortrait(await decodeRgb(await sharp(page).blur(6).jpeg().toBuffer()), face, DEFAULT_QUALITY_THRESHOLDS, 0);
    expect(blurred.findings).toContain('PORTRAIT_BLURRY');
    expect(blurred.grade).toBe('poor');
  });
});
