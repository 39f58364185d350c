import { describe, expect, it } from 'vitest';
import { loadCalibration, type ModelCalibration } from '../../../src/config/calibration.js';
import { decideMatch, estimatedFarOf, euclideanDistance, similarityOf, thresholdsOf } from '../../../src/domain/verification/decision.js';

const calibration: ModelCalibration = {
  metric: 'euclidean', verifyMaxDistance: 0.6, reviewMaxDistance: 0.7, similarityZeroAtDistance: 1.2,
  source: 'test', calibratedOn: null, calibratedAt: null,
};

describe('match decision', () => {
  it('verifies at or under the verify threshold', () => {
    expect(decideMatch(0.3, calibration)).toEqual({ decision: 'verified', reason: 'FACE_MATCH' });
    expect(decideMatch(0.6, calibration).decision).toBe('verified');
  });

  it('sends the band between the thresholds to a reviewer', () => {
    expect(decideMatch(0.61, calibration)).toEqual({ decision: 'needs_review', reason: 'FACE_MATCH_UNCERTAIN' });
    expect(decideMatch(0.7, calibration).decision).toBe('needs_review');
  });

  it('rejects beyond the review band', () => {
    expect(decideMatch(0.71, calibration)).toEqual({ decision: 'rejected', reason: 'FACE_MISMATCH' });
  });

  it('maps distance to a similarity in [0, 1] that falls as distance grows', () => {
    expect(similarityOf(0, calibration)).toBe(1);
    expect(similarityOf(0.6, calibration)).toBe(0.5);
    expect(similarityOf(5, calibration)).toBe(0);
    expect(thresholdsOf(calibration)).toMatchObject({ verifyMinSimilarity: 0.5, verifyMaxDistance: 0.6 });
  });

  it('computes Euclidean distance and refuses embeddings of different sizes', () => {
    expect(euclideanDistance(new Float32Array([0, 0]), new Float32Array([3, 4]))).toBeCloseTo(5);
    expect(() => euclideanDistance(new Float32Array(2), new Float32Array(3))).toThrow(/sizes differ/);
  });
});

describe('estimated false-accept rate', () => {
  const table = { ...calibration, farTable: [{ distance: 0.3, far: 1e-4 }, { distance: 0.4, far: 1e-3 }, { distance: 0.5, far: 1e-2 }] };

  it('reads a measured point as it is, and interpolates between points on a log scale', () => {
    expect(estimatedFarOf(0.4, table)).toEqual({ far: 0.001, bound: 'about' });
    expect(estimatedFarOf(0.35, table)).toEqual({ far: 0.00032, bound: 'about' });
    expect(estimatedFarOf(0.45, table)!.far).toBeCloseTo(0.0032, 4);
  });

  it('claims only a bound outside what was measured', () => {
    expect(estimatedFarOf(0.1, table)).toEqual({ far: 1e-4, bound: 'at_most' });
    expect(estimatedFarOf(0.9, table)).toEqual({ far: 1e-2, bound: 'at_least' });
  });

  it('gives no estimate for a model calibrated without a table', () => {
    expect(estimatedFarOf(0.4, calibration)).toBeNull();
  });

  it('means the same for every shipped pipeline: its verify threshold reads as FAR 1e-3', () => {
    for (const model of ['human-faceapi-frnet-5pt', 'faceapi-frnet-128']) {
      const c = loadCalibration(model);
      const at = estimatedFarOf(c.verifyMaxDistance, c)!;
      expect(at.bound).toBe('about');
      expect(at.far).toBeGreaterThan(5e-4);
      expect(at.far).toBeLessThanOrEqual(1e-3);
    }
  });
});
