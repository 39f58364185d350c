/** The k-fold protocol: thresholds chosen on the other folds, accuracy with its spread, no identity leakage. */
import { describe, expect, it } from 'vitest';
import {
  accuracyAt, assignIdentityFolds, bestAccuracyThreshold, identitiesInSeveralFolds, kFoldAccuracy, type FoldPair,
} from '../../../src/evaluation/k-fold.js';

let next = 0;
const pair = (fold: number, same: boolean, distance: number | null): FoldPair => {
  next++;
  return { fold, same, distance, identities: same ? [`p${fold}-${next}`, `p${fold}-${next}`] : [`p${fold}-${next}a`, `p${fold}-${next}b`] };
};

describe('best accuracy threshold', () => {
  it('separates perfectly separable pairs, halfway in the widest gap of the best run', () => {
    const pairs = [pair(0, true, 0.2), pair(0, true, 0.3), pair(0, false, 0.7), pair(0, false, 0.9)];
    const best = bestAccuracyThreshold(pairs);
    expect(best.accuracy).toBe(1);
    expect(best.threshold).toBe(0.5);
  });

  it('counts a pair without a face as "not the same person", whatever the threshold', () => {
    const pairs = [pair(0, true, 0.2), pair(0, true, null), pair(0, false, null), pair(0, false, 0.9)];
    expect(bestAccuracyThreshold(pairs).accuracy).toBe(0.75);
    expect(accuracyAt(pairs, 10)).toBe(0.5);
  });
});

describe('k-fold accuracy', () => {
  it('measures each fold with the threshold learnt on the others', () => {
    // Folds 0, 1, 2 put the boundary at 0.5; fold 3 has a genuine pair at 0.55 that this threshold rejects.
    const pairs: FoldPair[] = [];
    for (const fold of [0, 1, 2]) pairs.push(pair(fold, true, 0.4), pair(fold, true, 0.45), pair(fold, false, 0.55), pair(fold, false, 0.6));
    pairs.push(pair(3, true, 0.4), pair(3, true, 0.55), pair(3, false, 0.8), pair(3, false, 0.9));
    const result = kFoldAccuracy(pairs);
    expect(result.folds.map((f) => f.accuracy)).toEqual([1, 1, 1, 0.75]);
    expect(result.folds[3]!.threshold).toBe(0.5);
    expect(result.mean).toBeCloseTo(0.9375, 12);
    // Sample standard deviation of [1, 1, 1, 0.75]: sqrt((3 * 0.0625^2 + 0.1875^2) / 3) = 0.125
    expect(result.std).toBeCloseTo(0.125, 12);
    expect(result.standardError).toBeCloseTo(0.0625, 12);
  });

  it('needs two folds at least', () => {
    expect(() => kFoldAccuracy([pair(0, true, 0.1), pair(0, false, 0.9)])).toThrow(/two folds/);
  });
});

describe('identity folds', () => {
  it('puts every identity in exactly one fold, sizes differing by at most one, the same way every time', () => {
    const people = Array.from({ length: 23 }, (_, i) => `person_${i}`);
    const folds = assignIdentityFolds(people, 5);
    expect([...folds.keys()].sort()).toEqual([...people].sort());
    const sizes = [0, 1, 2, 3, 4].map((f) => [...folds.values()].filter((v) => v === f).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
    expect(assignIdentityFolds([...people].reverse(), 5)).toEqual(folds);
  });

  it('reports identities that appear in more than one fold', () => {
    const clean: FoldPair[] = [
      { fold: 0, same: true, distance: 0.1, identities: ['ann', 'ann'] },
      { fold: 1, same: false, distance: 0.9, identities: ['bob', 'cy'] },
    ];
    expect(identitiesInSeveralFolds(clean)).toEqual([]);
    const leaky = [...clean, { fold: 1, same: false, distance: 0.8, identities: ['ann', 'bob'] as const }];
    expect(identitiesInSeveralFolds(leaky)).toEqual(['ann']);
  });
});
