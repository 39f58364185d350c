/** Verification metrics on small synthetic score sets whose answers can be worked out by hand. */
import { describe, expect, it } from 'vitest';
import {
  areaUnderCurve, countAtOrBelow, equalErrorRate, histogram, operatingPointAt, rocCurve, sortScores, tarAtFar, wilsonInterval,
} from '../../../src/evaluation/metrics.js';

// Five genuine and five impostor distances; only 0.6 (genuine) lies beyond an impostor (0.5).
const small = sortScores([0.3, 0.1, 0.4, 0.2, 0.6], [0.9, 0.5, 1.0, 0.7, 0.8]);

describe('operating points', () => {
  it('counts accepted pairs at a threshold (distance <= threshold is accepted, as decideMatch does)', () => {
    expect(countAtOrBelow(small.genuine, 0.4)).toBe(4);
    expect(operatingPointAt(small, 0.45)).toMatchObject({ tar: 0.8, frr: 0.2, far: 0, falseAccepts: 0, falseRejects: 1 });
    expect(operatingPointAt(small, 0.5)).toMatchObject({ far: 0.2, falseAccepts: 1 });
    expect(operatingPointAt(small, 0.65)).toMatchObject({ tar: 1, far: 0.2, genuinePairs: 5, impostorPairs: 5 });
  });

  it('refuses NaN scores', () => {
    expect(() => sortScores([0.1, Number.NaN], [0.5])).toThrow(/NaN/);
  });
});

describe('equal error rate and AUC', () => {
  it('finds where FAR and FRR cross', () => {
    // Between 0.5 and 0.6 one impostor is accepted (FAR 0.2) and one genuine pair rejected (FRR 0.2).
    const { eer, threshold } = equalErrorRate(small);
    expect(eer).toBe(0.2);
    expect(threshold).toBeCloseTo(0.55, 12);
    expect(equalErrorRate(sortScores([0.1, 0.2], [0.8, 0.9])).eer).toBe(0);
  });

  it('is the share of (genuine, impostor) pairs ordered correctly, ties counting half', () => {
    expect(areaUnderCurve(small)).toBeCloseTo(24 / 25, 12);
    expect(areaUnderCurve(sortScores([0.5], [0.5]))).toBe(0.5);
    expect(areaUnderCurve(sortScores([0.9], [0.1]))).toBe(0);
  });
});

describe('TAR at a target FAR', () => {
  // 1000 impostor distances 0.001, 0.002, ..., 1.000.
  const impostor = Array.from({ length: 1000 }, (_, i) => (i + 1) / 1000);
  const scores = sortScores([0.005, 0.0104, 0.0106, 0.5], impostor);

  it('takes the threshold between the last impostor it may accept and the first it must reject', () => {
    const at = tarAtFar(scores, 1e-2);
    if (!at.resolvable) throw new Error('expected resolvable');
    expect(at.threshold).toBeCloseTo(0.0105, 12);
    expect(at.falseAccepts).toBe(10);
    expect(at.far).toBe(0.01);
    expect(at.tar).toBe(0.5);
    expect(at.impostorPairs).toBe(1000);

    const strict = tarAtFar(scores, 1e-3);
    expect(strict).toMatchObject({ resolvable: true, falseAccepts: 1, far: 0.001, tar: 0 });
  });

  it('refuses a FAR the data cannot resolve and says how many impostor pairs it would need', () => {
    expect(tarAtFar(scores, 1e-4)).toEqual({
      targetFar: 1e-4, resolvable: false, impostorPairs: 1000, impostorPairsNeeded: 10_000,
      reason: 'FAR 0.0001 needs at least 10000 impostor pairs, the data has 1000',
    });
  });

  it('never lets ties at the boundary push the FAR over the target', () => {
    // Two false accepts allowed, but three impostors share 0.2: only the one at 0.1 can be accepted.
    const tied = sortScores([0.05, 0.16, 0.25], [0.1, 0.2, 0.2, 0.2, ...Array.from({ length: 196 }, () => 0.9)]);
    const at = tarAtFar(tied, 1e-2);
    expect(at).toMatchObject({ resolvable: true, falseAccepts: 1, tar: 1 / 3 });
    if (at.resolvable) expect(at.threshold).toBeCloseTo(0.15, 12);
  });

  it('gives a 95 % Wilson interval for the TAR', () => {
    const [lo, hi] = wilsonInterval(0, 10);
    expect(lo).toBe(0);
    expect(hi).toBeCloseTo(0.2775, 4);
    const [l2, h2] = wilsonInterval(97, 100);
    expect(l2).toBeCloseTo(0.9154, 3);
    expect(h2).toBeCloseTo(0.9897, 3);
  });
});

describe('ROC curve and histogram', () => {
  it('runs from accepting nothing to accepting everything, monotonically', () => {
    const curve = rocCurve(small);
    expect(curve[0]).toMatchObject({ far: 0, tar: 0 });
    expect(curve.at(-1)).toMatchObject({ far: 1, tar: 1 });
    for (let k = 1; k < curve.length; k++) {
      expect(curve[k]!.far).toBeGreaterThanOrEqual(curve[k - 1]!.far);
      expect(curve[k]!.tar).toBeGreaterThanOrEqual(curve[k - 1]!.tar);
    }
  });

  it('thins long curves but keeps both ends', () => {
    const many = sortScores(Array.from({ length: 5000 }, (_, i) => i / 10_000), Array.from({ length: 5000 }, (_, i) => 0.25 + i / 10_000));
    const curve = rocCurve(many, 100);
    expect(curve.length).toBeLessThan(1000);
    expect(curve[0]).toMatchObject({ far: 0, tar: 0 });
    expect(curve.at(-1)).toMatchObject({ far: 1, tar: 1 });
  });

  it('bins values, clamping the ones outside the range into the end bins', () => {
    expect(histogram([0, 0.1, 0.5, 0.99, 1, 7, -3], 2, 0, 1).counts).toEqual([3, 4]);
  });
});
