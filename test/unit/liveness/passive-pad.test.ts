import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAD_CALIBRATION } from '../../../src/domain/liveness/pad-calibration.js';
import { padSignals, type PadSignals } from '../../../src/domain/liveness/pad-signals.js';
import { assessLiveness, type PadCalibration } from '../../../src/domain/liveness/passive-pad.js';
import { createFaceApiEngine } from '../../../src/engine/face-api.engine.js';
import type { FaceEngine } from '../../../src/engine/face-engine.js';
import { createHumanPadModel } from '../../../src/engine/pad/human-pad.model.js';
import { defaultManifestPath, readModelManifest, resolvePackageFile } from '../../../src/engine/model-manifest.js';
import type { PadModel } from '../../../src/engine/pad/pad-model.js';
import { decodeRgb } from '../../../src/images/image-codec.js';
import { ModelIntegrityError } from '../../../src/shared/errors.js';

const signals: PadSignals = {
  antispoof: 0.5, liveness: 0.5, sharpness: 0.1, colourfulness: 25, contrast: 40, specular: 0.05, spectralPeak: 10, highFrequency: 0.03,
  lbp: new Array(10).fill(0.1), lbpFine: new Array(10).fill(0.1), chroma: { cbMean: 120, crMean: 140, cbStd: 5, crStd: 6 },
};

describe('passive liveness score and thresholds', () => {
  it('the calibration in force is complete and orders its thresholds', () => {
    const c = PAD_CALIBRATION;
    expect(c.weights).toHaveLength(c.features.length);
    expect(c.mean).toHaveLength(c.features.length);
    expect(c.scale.every((s) => s > 0)).toBe(true);
    expect(c.attackScore).toBeLessThanOrEqual(c.passScore);
    expect(c.provenance).toMatch(/leave-one-subject-out/);
  });

  it('reads the score against both thresholds: live, uncertain (review), attack suspected (review)', () => {
    const only = (weight: number): PadCalibration => ({
      features: ['antispoof'], mean: [0], scale: [1], weights: [weight], intercept: 0, passScore: 0.6, attackScore: 0.3, provenance: 'test',
    });
    // logit(0.5) = 0, so the score is sigmoid(intercept) = 0.5: between the thresholds.
    expect(assessLiveness(signals, only(1))).toMatchObject({ verdict: 'uncertain', pass: false, reasons: ['PAD_UNCERTAIN'], score: 0.5 });
    expect(assessLiveness({ ...signals, antispoof: 0.95 }, only(1))).toMatchObject({ verdict: 'live', pass: true, reasons: [] });
    expect(assessLiveness({ ...signals, antispoof: 0.05 }, only(1))).toMatchObject({ verdict: 'attack', reasons: ['PAD_ATTACK_SUSPECTED'] });
  });
});

describe('Human PAD nets on the shared tfjs backend', () => {
  let engine: FaceEngine;
  let pad: PadModel;
  beforeAll(async () => {
    engine = await createFaceApiEngine({ backend: 'wasm', detector: 'ssd' });
    pad = await createHumanPadModel({ backend: 'wasm' });
  });
  afterAll(async () => {
    await pad?.dispose();
    await engine?.dispose();
  });

  it('scores a real face in [0, 1] beside face-api, without leaking tensors', async () => {
    const rgb = await decodeRgb(readFileSync('samples/faces/sample3-face2.jpg'));
    const [face] = await engine.detectFaces(rgb);
    const before = pad.tensorCount();
    const first = await pad.score(rgb, face!.box);
    for (let k = 0; k < 3; k++) expect(await pad.score(rgb, face!.box)).toEqual(first);
    expect(pad.tensorCount()).toBe(before);
    expect(first.antispoof).toBeGreaterThanOrEqual(0);
    expect(first.antispoof).toBeLessThanOrEqual(1);
    expect(pad.info).toMatchObject({ backend: 'wasm', models: ['antispoof', 'liveness'] });
    const cues = padSignals(rgb, face!, first);
    expect(cues.lbp.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(assessLiveness(cues, PAD_CALIBRATION).score).toBeGreaterThanOrEqual(0);
  });

  it('refuses to start when a model file differs from its pin', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'zinda-pad-'));
    try {
      const pinned = (await readModelManifest(defaultManifestPath())).files.filter((f) => f.role === 'antispoof' || f.role === 'liveness');
      expect(pinned).toHaveLength(4);
      for (const file of pinned) copyFileSync(resolvePackageFile(file.package, file.file), path.join(dir, path.basename(file.file)));
      const bin = path.join(dir, 'antispoof.bin');
      const bytes = readFileSync(bin);
      bytes[100] = bytes[100]! ^ 0xff;
      writeFileSync(bin, bytes);
      await expect(createHumanPadModel({ backend: 'wasm', modelDir: dir })).rejects.toBeInstanceOf(ModelIntegrityError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
