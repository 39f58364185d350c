/** Thresholds proposed from measured scores: FAR targets met, similarity 0.5 at the verify threshold for any model. */
import { describe, expect, it } from 'vitest';
import { proposeCalibration } from '../../../src/evaluation/calibration-proposal.js';
import { sortScores } from '../../../src/evaluation/metrics.js';

// 10 000 impostor distances 0.5001 ... 1.5 and genuine distances spread over 0.2 ... 0.6.
const impostor = Array.from({ length: 10_000 }, (_, i) => 0.5 + (i + 1) / 10_000);
const genuine = Array.from({ length: 400 }, (_, i) => 0.2 + i / 1000);
const date = new Date('2026-03-01T12:00:00Z');

describe('calibration proposal', () => {
  it('puts verify at FAR <= 1e-3 and review at FAR <= 1e-2, measured, with the dataset and date', () => {
    const outcome = proposeCalibration(sortScores(genuine, impostor), 'synthetic set', date);
    if (!outcome.ok) throw new Error(outcome.reason);
    const c = outcome.calibration;
    // 10 false accepts allowed at 1e-3: between 0.5010 and 0.5011, rounded down to 4 decimals.
    expect(c.verifyMaxDistance).toBe(0.501);
    expect(c.reviewMaxDistance).toBe(0.51);
    expect(c.measured.verify.far).toBeLessThanOrEqual(1e-3);
    expect(c.measured.review.far).toBeLessThanOrEqual(1e-2);
    expect(c.measured.verify.impostorPairs).toBe(10_000);
    expect(c.similarityZeroAtDistance).toBe(1.002);
    expect(c).toMatchObject({ metric: 'euclidean', calibratedOn: 'synthetic set', calibratedAt: '2026-03-01' });
  });

  it('writes an ascending distance -> FAR table of the FARs the data resolves', () => {
    const outcome = proposeCalibration(sortScores(genuine, impostor), 'synthetic set', date);
    if (!outcome.ok) throw new Error(outcome.reason);
    const table = outcome.calibration.farTable;
    expect(table[0]!.far).toBe(1e-4);
    expect(table.at(-1)!.far).toBe(0.5);
    for (let k = 1; k < table.length; k++) {
      expect(table[k]!.distance).toBeGreaterThan(table[k - 1]!.distance);
      expect(table[k]!.far).toBeGreaterThan(table[k - 1]!.far);
    }
  });

  it('refuses when the impostor pairs cannot resolve FAR 1e-3', () => {
    const outcome = proposeCalibration(sortScores(genuine, impostor.slice(0, 500)), 'small set', date);
    expect(outcome).toEqual({ ok: false, reason: 'verify threshold: FAR 0.001 needs at least 1000 impostor pairs, the data has 500' });
  });
});
