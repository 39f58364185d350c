import { describe, expect, it } from 'vitest';
import type { ModelCalibration } from '../../../src/config/calibration.js';
import { decideMatch, euclideanDistance, similarityOf, thresholdsOf } from '../../../src/domain/verification/decision.js';

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
