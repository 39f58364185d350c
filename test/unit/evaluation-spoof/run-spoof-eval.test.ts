import { describe, expect, it } from 'vitest';
import type { PadSignals } from '../../../src/domain/liveness/pad-signals.js';
import { assessLiveness } from '../../../src/domain/liveness/passive-pad.js';
import type { PadFeatures } from '../../../src/evaluation-spoof/pad-features.js';
import { evaluatePad, type SpoofEvalSettings } from '../../../src/evaluation-spoof/run-spoof-eval.js';
import type { SampleGroup, SpoofSample } from '../../../src/evaluation-spoof/spoof-set.js';

/** Synthetic faces: colourfulness carries the label (prints are duller), with a per-image jitter. */
function face(colourfulness: number, k: number): PadSignals {
  const jitter = ((k * 37) % 11) / 11;
  return {
    antispoof: 0.5, liveness: 0.5, sharpness: 0.1 + jitter / 10, colourfulness, contrast: 40, specular: 0.05, spectralPeak: 10, highFrequency: 0.03,
    lbp: new Array(10).fill(0.1), lbpFine: new Array(10).fill(0.1), chroma: { cbMean: 120, crMean: 140, cbStd: 5, crStd: 6 },
  };
}

function build(groups: { root: string; group: SampleGroup; label: 'real' | 'attack'; n: number; colour: (k: number) => number }[]) {
  const set: SpoofSample[] = [];
  const features: PadFeatures[] = [];
  for (const g of groups) {
    for (let k = 0; k < g.n; k++) {
      const file = `${g.label}/${g.root}-${k}.jpg`;
      set.push({ root: g.root, file, group: g.group, label: g.label, attackType: g.label === 'attack' ? 'print' : null, subject: `${g.root}:${k % 6}`, sha256: null, tightCrops: false });
      const signals = face(g.colour(k), k);
      features.push({ file, bordered: false, facesFound: 1, face: null, ms: 1, models: { antispoof: 0.5, liveness: 0.5 }, signals });
    }
  }
  return { set, features };
}

const settings: SpoofEvalSettings = { passBpcer: 0.05, attackBpcer: 0.01, l2: 1, features: ['colourfulness', 'logSharpness'] };
const spoofSet = [
  { root: 'spoof', group: 'spoof' as const, label: 'real' as const, n: 24, colour: (k: number) => 22 + (k % 8) },
  { root: 'spoof', group: 'spoof' as const, label: 'attack' as const, n: 24, colour: (k: number) => 14 + (k % 8) },
];

describe('the PAD evaluation', () => {
  it('never fits on held-out photos: they are scored by the calibration it writes', () => {
    const without = build(spoofSet);
    const withHeld = build([...spoofSet, { root: 'held', group: 'holdout', label: 'real', n: 6, colour: (k) => (k < 2 ? 0 : 30) }]);
    const a = evaluatePad(without.set, without.features, settings, 'test');
    const b = evaluatePad(withHeld.set, withHeld.features, settings, 'test');
    expect(b.calibration).toEqual(a.calibration);
    expect(b.holdout?.images).toBe(6);
    expect(b.holdout?.greyscale).toBe(2);
    b.holdout?.verdicts.forEach((v, i) => {
      expect(v.verdict).toBe(assessLiveness(withHeld.features[48 + i]?.signals as PadSignals, b.calibration).verdict);
    });
  });

  it('sets the pass threshold so that no fitted bona fide source loses more than the target share', () => {
    // Many easy photos (far from the prints) must not pull the threshold above the spoof set's own 5 % point.
    const { set, features } = build([...spoofSet, { root: 'photos', group: 'bona-fide', label: 'real', n: 120, colour: (k) => 35 + (k % 10) }]);
    const report = evaluatePad(set, features, settings, 'test');
    expect(report.combined.pass.bpcer).toBeLessThanOrEqual(0.05);
    expect(report.bonaFide?.bpcer).toBeLessThanOrEqual(0.05);
    expect(report.calibration.attackScore).toBeLessThanOrEqual(report.calibration.passScore);
  });
});
