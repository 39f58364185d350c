import { describe, expect, it } from 'vitest';
import { fitLogistic, predictLogistic } from '../../../src/evaluation-spoof/logistic.js';
import { bpcerAtApcer, operatingPoint, rocAuc, thresholdAtBpcer, type ScoredSample } from '../../../src/evaluation-spoof/pad-metrics.js';

const real = (score: number | null): ScoredSample => ({ label: 'real', attackType: null, subject: 'r', score });
const attack = (score: number | null, attackType = 'print'): ScoredSample => ({ label: 'attack', attackType, subject: 'a', score });

describe('ISO/IEC 30107-3 error rates', () => {
  const samples = [
    real(0.9), real(0.8), real(0.7), real(0.3), real(null),
    attack(0.1), attack(0.2), attack(0.75), attack(null), attack(0.95, 'replay'),
  ];

  it('APCER per species and pooled, BPCER, failures to acquire apart', () => {
    const p = operatingPoint(samples, 0.5);
    expect(p.bpcer).toBeCloseTo(1 / 4);
    expect(p.apcerByType['print']).toEqual({ apcer: 1 / 3, accepted: 1, count: 3 });
    expect(p.apcerByType['replay']).toEqual({ apcer: 1, accepted: 1, count: 1 });
    expect(p.apcer).toBeCloseTo(2 / 4);
    expect(p.apcerMax).toBe(1);
    expect([p.ftaBona, p.ftaAttack]).toEqual([1, 1]);
  });

  it('finds the threshold for a BPCER, and the BPCER a target APCER costs', () => {
    expect(thresholdAtBpcer(samples, 0.25)).toBe(0.7);
    expect(operatingPoint(samples, thresholdAtBpcer(samples, 0)).bpcer).toBe(0);
    // No print accepted needs a threshold above 0.75: the bona fide at 0.3 and 0.7 are refused.
    expect(bpcerAtApcer(samples, 0, 'print').bpcer).toBeCloseTo(2 / 4);
    expect(rocAuc([real(0.9), attack(0.1)])).toBe(1);
  });

  it('the logistic fit separates what is separable', () => {
    const x = [[0], [0.1], [0.2], [0.8], [0.9], [1]];
    const y = [0, 0, 0, 1, 1, 1];
    const model = fitLogistic(x, y);
    expect(predictLogistic(model, [0.05])).toBeLessThan(0.2);
    expect(predictLogistic(model, [0.95])).toBeGreaterThan(0.8);
  });
});
