/** `--score-only`: the shipped calibration and its thresholds score a set as they are; nothing is fitted to it. */
import { describe, expect, it } from 'vitest';
import type { PadSignals } from '../../../src/domain/liveness/pad-signals.js';
import { assessLiveness, type PadCalibration } from '../../../src/domain/liveness/passive-pad.js';
import type { PadFeatures } from '../../../src/evaluation-spoof/pad-features.js';
import { scoreOnlySummaryLine, scoreShippedPad } from '../../../src/evaluation-spoof/score-shipped.js';
import type { SampleGroup, SpoofSample } from '../../../src/evaluation-spoof/spoof-set.js';

// Colourfulness alone decides: score = sigmoid((colourfulness - 20) / 2).
const calibration: PadCalibration = {
  features: ['colourfulness'], mean: [20], scale: [2], weights: [1], intercept: 0, passScore: 0.5, attackScore: 0.1, provenance: 'test',
};

function signals(colourfulness: number): PadSignals {
  return {
    antispoof: 0.5, liveness: 0.5, sharpness: 0.1, colourfulness, contrast: 40, specular: 0.05, spectralPeak: 10, highFrequency: 0.03,
    lbp: new Array(10).fill(0.1), lbpFine: new Array(10).fill(0.1), chroma: { cbMean: 120, crMean: 140, cbStd: 5, crStd: 6 },
  };
}

function sample(group: SampleGroup, label: 'real' | 'attack', colourfulness: number | null, k: number) {
  const file = `${label}/${group}-${k}.jpg`;
  const s: SpoofSample = {
    root: group, file, group, label, attackType: label === 'attack' ? (k % 2 ? 'replay' : 'print') : null, subject: `${group}:${k}`, sha256: null, tightCrops: false,
  };
  const f: PadFeatures = {
    file, bordered: false, facesFound: colourfulness === null ? 0 : 1, face: null, ms: 2, models: null,
    signals: colourfulness === null ? null : signals(colourfulness),
  };
  return { s, f };
}

describe('scoring a set with the shipped PAD calibration', () => {
  // Bona fide: 3 above the pass threshold, 1 between the thresholds; attacks: 1 passes, 1 uncertain, 2 refused, 1 without a face.
  const rows = [
    sample('spoof', 'real', 30, 0), sample('spoof', 'real', 25, 1), sample('spoof', 'real', 22, 2), sample('spoof', 'real', 19, 3),
    sample('spoof', 'attack', 21, 0), sample('spoof', 'attack', 18, 1), sample('spoof', 'attack', 10, 2), sample('spoof', 'attack', 5, 3),
    sample('spoof', 'attack', null, 4),
    sample('holdout', 'real', 26, 0), sample('holdout', 'real', 12, 1),
  ];
  const set = rows.map((r) => r.s);
  const features = rows.map((r) => r.f);

  it('gives APCER and BPCER at the calibration\'s own thresholds, each score the worker\'s', () => {
    const report = scoreShippedPad(set, features, calibration);
    expect(report.calibration).toEqual({ provenance: 'test', passScore: 0.5, attackScore: 0.1 });
    expect(report.shipped.pass).toMatchObject({ threshold: 0.5, bpcer: 0.25, apcer: 0.25, bona: 4, attacks: 4, ftaAttack: 1 });
    expect(report.shipped.pass.apcerByType).toMatchObject({ print: { accepted: 1, count: 2 }, replay: { accepted: 0, count: 2 } });
    expect(report.shipped.attack).toMatchObject({ threshold: 0.1, bpcer: 0, apcer: 0.5 });
    report.shipped.samples.forEach((s, i) => {
      const expected = features[i]!.signals ? assessLiveness(features[i]!.signals!, calibration).score : null;
      expect(s.score).toBe(expected);
    });
    expect(report.counts).toMatchObject({ bona: 4, attack: 5, ftaAttack: 1, byType: { print: 3, replay: 2 } });
    expect(report.bonaFide).toMatchObject({ images: 2, bpcer: 0.5, bpcerAttack: 0.5 });
    expect(report.bonaFide!.verdicts.map((v) => v.verdict)).toEqual(['live', 'attack']);
  });

  it('ends with apcer and bpcer first on its summary line', () => {
    const line = scoreOnlySummaryLine(scoreShippedPad(set, features, calibration));
    expect(line).toMatch(/^apcer=0\.2500 bpcer=0\.2500 apcer_print=0\.5000 apcer_replay=0\.0000 /);
    expect(line).toContain('threshold=0.5000 attack_threshold=0.1000');
    expect(line).toContain('n_bona=4 n_attack=5');
  });
});
