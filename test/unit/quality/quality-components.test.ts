import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessQuality, type QualityReport } from '../../../src/domain/quality/quality-assessment.js';
import { faceGeometry } from '../../../src/domain/quality/face-geometry.js';
import { DEFAULT_QUALITY_THRESHOLDS } from '../../../src/domain/quality/quality-thresholds.js';
import { createFaceApiEngine } from '../../../src/engine/face-api.engine.js';
import type { FaceEngine } from '../../../src/engine/face-engine.js';
import { decodeRgb, normalizeUpload } from '../../../src/images/image-codec.js';
import { datasetsAvailable, datasetsDir, describeIfDatasets, identityImages } from '../../support/datasets.js';

// Each quality component on real photos made worse with sharp, through the real engine. The sample faces ship with
// the repository (samples/faces, from the face-api demo images) and always run; the identities and LFW photos run
// when ../shared/datasets is present.
let engine: FaceEngine;
beforeAll(async () => {
  engine = await createFaceApiEngine({ backend: 'wasm', detector: 'ssd' });
});
afterAll(async () => {
  await engine?.dispose();
});

const limits = { maxPixels: 40_000_000, maxSide: 2000 };
const codes = (r: QualityReport) => r.findings.map((f) => f.code);

async function assess(image: Buffer): Promise<QualityReport> {
  const jpeg = (await normalizeUpload(image, 'image', limits)).jpeg;
  const rgb = await decodeRgb(jpeg);
  return assessQuality(rgb, await engine.detectFaces(rgb), DEFAULT_QUALITY_THRESHOLDS);
}

/** The sample crops are tight; a selfie has the head in a frame with background around it. */
async function framedSample(name: string): Promise<Buffer> {
  const face = readFileSync(`samples/faces/${name}.jpg`);
  const { width = 0 } = await sharp(face).metadata();
  const pad = Math.round(width * 0.45);
  return sharp(face).extend({ top: pad, bottom: pad * 2, left: pad, right: pad, background: '#8a7f70' }).jpeg({ quality: 92 }).toBuffer();
}

/** The face the gate judges, found on the original photo, to cut variants around it. */
async function mainFace(image: Buffer) {
  const jpeg = (await normalizeUpload(image, 'image', limits)).jpeg;
  const rgb = await decodeRgb(jpeg);
  const [face] = await engine.detectFaces(rgb);
  if (!face) throw new Error('test photo has no face');
  return { jpeg, rgb, face, geometry: faceGeometry(face.landmarks) };
}

function componentSuite(label: string, source: () => Promise<Buffer>) {
  describe(`quality components on ${label}`, () => {
    let original: Buffer;
    let found: Awaited<ReturnType<typeof mainFace>>;
    beforeAll(async () => {
      original = await source();
      found = await mainFace(original);
    });

    it('passes the photo as it is', async () => {
      const report = await assess(original);
      expect(report.pass, JSON.stringify(report.findings)).toBe(true);
      expect(report.components?.faceCount).toBe(1);
    });

    it('too dark: the face luma mean falls under the threshold', async () => {
      const report = await assess(await sharp(found.jpeg).linear(0.35, 0).jpeg().toBuffer());
      expect(codes(report)).toContain('QUALITY_TOO_DARK');
      expect(report.components!.luminanceMean).toBeLessThan(DEFAULT_QUALITY_THRESHOLDS.minLuminance);
    });

    it('too bright: burnt-out skin counts as over-exposure', async () => {
      const report = await assess(await sharp(found.jpeg).linear(1.4, 60).jpeg().toBuffer());
      expect(codes(report)).toContain('QUALITY_TOO_BRIGHT');
    });

    it('hazy (a greasy lens): low contrast is a warning, not a failure', async () => {
      // Squeeze the face's luma spread to about 12.5 around mid-grey (any flatter and the detector gives up).
      const spread = (await assess(original)).components!.luminanceStdDev;
      const factor = 12.5 / spread;
      const report = await assess(await sharp(found.jpeg).linear(factor, 128 * (1 - factor)).jpeg().toBuffer());
      expect(report.findings.find((f) => f.code === 'QUALITY_LOW_CONTRAST')?.severity).toBe('warn');
      expect(report.pass).toBe(true);
    });

    it('blurry: a defocus of a twentieth of the inter-eye distance (2 px at 40 px between the eyes)', async () => {
      const sigma = Math.max(1.5, found.geometry.interEyeDistance / 20);
      const report = await assess(await sharp(found.jpeg).blur(sigma).jpeg().toBuffer());
      expect(codes(report)).toContain('QUALITY_BLURRY');
      expect(report.components!.sharpness).toBeLessThan(DEFAULT_QUALITY_THRESHOLDS.minSharpness);
    });

    it('head tilted: rotating the photo 30 degrees shows as roll', async () => {
      const before = found.geometry.pose.roll;
      const report = await assess(await sharp(found.jpeg).rotate(30, { background: '#8a7f70' }).jpeg().toBuffer());
      expect(codes(report)).toContain('QUALITY_HEAD_TILTED');
      // sharp rotates clockwise; roll is counter-clockwise positive.
      expect(report.components!.roll - before).toBeCloseTo(-30, -1);
    });

    it('low resolution: the same framing with 20 px between the eyes', async () => {
      const width = Math.round(found.rgb.width * (20 / found.geometry.interEyeDistance));
      const report = await assess(await sharp(found.jpeg).resize({ width }).png().toBuffer());
      if (report.components === null) {
        // So few pixels that the detector gives up: the gate still answers, with the code the app can show.
        expect(codes(report)).toEqual(['QUALITY_NO_FACE']);
      } else {
        expect(codes(report)).toContain('QUALITY_LOW_RESOLUTION');
      }
    });

    it('too small: the person stands far from the camera', async () => {
      // The same picture at a third of the size, in a frame of the original size.
      const { width, height } = found.rgb;
      const small = await sharp(found.jpeg).resize({ width: Math.round(width / 3) }).toBuffer();
      const { width: w = 0, height: h = 0 } = await sharp(small).metadata();
      const far = await sharp(small).extend({ top: Math.round((height - h) / 3), bottom: height - h - Math.round((height - h) / 3), left: Math.round((width - w) / 2), right: width - w - Math.round((width - w) / 2), background: '#8a7f70' }).jpeg().toBuffer();
      const report = await assess(far);
      expect(codes(report)).toContain('QUALITY_FACE_TOO_SMALL');
    });

    it('cut off: the frame ends at the nose', async () => {
      const nose = Math.round(found.face.landmarks[33]!.y);
      const report = await assess(await sharp(found.jpeg).extract({ left: 0, top: 0, width: found.rgb.width, height: nose }).jpeg().toBuffer());
      expect(codes(report).some((c) => c === 'QUALITY_FACE_CUT_OFF' || c === 'QUALITY_NO_FACE')).toBe(true);
      expect(report.pass).toBe(false);
    });

    it('too close: the face fills the frame', async () => {
      const lb = found.geometry.landmarkBox;
      const side = Math.round(lb.height * 1.05);
      const left = Math.max(0, Math.round(lb.x + lb.width / 2 - side / 2));
      const top = Math.max(0, Math.round(lb.y + lb.height / 2 - side / 2));
      const crop = await sharp(found.jpeg).extract({ left, top, width: Math.min(side, found.rgb.width - left), height: Math.min(side, found.rgb.height - top) })
        .resize({ width: 640 }).jpeg().toBuffer();
      const report = await assess(crop);
      expect(report.pass).toBe(false);
      expect(codes(report).some((c) => c === 'QUALITY_FACE_TOO_CLOSE' || c === 'QUALITY_FACE_CUT_OFF' || c === 'QUALITY_NO_FACE')).toBe(true);
    });
  });
}

componentSuite('a sample face in a selfie frame (samples/faces/sample3-face2)', () => framedSample('sample3-face2'));

describe('single face', () => {
  it('no face: a wall', async () => {
    const wall = await sharp({ create: { width: 480, height: 640, channels: 3, background: '#c8b89a' } }).jpeg().toBuffer();
    const report = await assess(wall);
    expect(report).toMatchObject({ pass: false, components: null });
    expect(codes(report)).toEqual(['QUALITY_NO_FACE']);
  });

  it('several faces of similar size', async () => {
    const report = await assess(readFileSync('samples/faces/group-sample1.jpg'));
    expect(codes(report)).toContain('QUALITY_MULTIPLE_FACES');
    expect(report.components!.faceCount).toBeGreaterThan(1);
  });
});

describeIfDatasets('quality components on the identities photos', () => {
  if (!datasetsAvailable()) return;
  componentSuite('deepface_id01/1 (high-resolution portrait)', async () => readFileSync(identityImages('deepface_id01')[0]!));
  componentSuite('facerec_obama/1', async () => readFileSync(identityImages('facerec_obama')[0]!));
});

describeIfDatasets('pose and eyes on real LFW photos', () => {
  const lfw = (person: string, n: number) => path.join(datasetsDir(), 'lfw-dev', 'images', person, `${person}_${String(n).padStart(4, '0')}.jpg`);
  const has = (file: string) => existsSync(file);

  it('eyes closed (George HW Bush, LFW 0013): low eye aspect ratio', async () => {
    const file = lfw('George_HW_Bush', 13);
    if (!has(file)) return;
    const report = await assess(readFileSync(file));
    expect(codes(report)).toContain('QUALITY_EYES_CLOSED');
    expect(report.components!.eyeOpenness).toBeLessThan(DEFAULT_QUALITY_THRESHOLDS.minEyeOpenness);
  });

  it('head turned far to the side (Jiang Zemin, LFW 0007): yaw beyond the limit, to the person\'s right', async () => {
    const file = lfw('Jiang_Zemin', 7);
    if (!has(file)) return;
    const report = await assess(readFileSync(file));
    expect(codes(report)).toContain('QUALITY_HEAD_TURNED');
    expect(report.components!.yaw).toBeLessThan(-DEFAULT_QUALITY_THRESHOLDS.maxYawDeg);
  });

  it('looking down (Silvio Berlusconi, LFW 0008): pitch beyond the limit', async () => {
    const file = lfw('Silvio_Berlusconi', 8);
    if (!has(file)) return;
    const report = await assess(readFileSync(file));
    expect(codes(report)).toContain('QUALITY_HEAD_PITCHED');
  });

  it('an ordinary frontal news photo passes (Tony Blair, LFW 0032)', async () => {
    const file = lfw('Tony_Blair', 32);
    if (!has(file)) return;
    const report = await assess(readFileSync(file));
    expect(report.pass, JSON.stringify(report.findings)).toBe(true);
  });
});
