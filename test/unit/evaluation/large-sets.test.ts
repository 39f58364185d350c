/**
 * The harness on sets the size of a national register's test set (~2,000 people: millions of impostor pairs). A
 * spread of a large array into a call (Math.max(...scores)) overflows the stack there, so these run the listed-pair
 * and all-pairs paths on synthetic scores of that size.
 */
import { describe, expect, it } from 'vitest';
import { kFoldAccuracy, type FoldPair } from '../../../src/evaluation/k-fold.js';
import { detSvg, histogramSvg } from '../../../src/evaluation/plots.js';
import { pooled, summarise } from '../../../src/evaluation/section-report.js';

/** Small seeded PRNG: the same synthetic scores on every run. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('evaluation on a large set', () => {
  it('k-fold accuracy over 400,000 listed pairs (Math.max(...candidates) overflowed past ~150,000)', () => {
    const random = seeded(1);
    const identities: readonly [string, string] = ['a', 'b'];
    const pairs: FoldPair[] = [];
    // Five folds of 80,000 pairs (320,000 thresholds to choose from per fold), 1 in 100 genuine: genuine around 0.3, impostors around 0.9, overlapping a little.
    for (let fold = 0; fold < 5; fold++) {
      for (let k = 0; k < 80_000; k++) {
        const same = k % 100 === 0;
        pairs.push({ fold, same, identities, distance: (same ? 0.3 : 0.9) + (random() - 0.5) * 0.7 });
      }
    }
    const result = kFoldAccuracy(pairs);
    expect(result.folds).toHaveLength(5);
    expect(result.mean).toBeGreaterThan(0.99);
    for (const f of result.folds) expect(f.threshold).toBeGreaterThan(0.45);
  });

  it('summaries and figures over two million within-fold impostor scores', () => {
    const random = seeded(2);
    const byFold = Array.from({ length: 5 }, (_, fold) => {
      const genuine = new Float64Array(4_000).map(() => 0.2 + random() * 0.4);
      const impostor = new Float64Array(400_000).map(() => 0.5 + random() * 0.8);
      return { fold, genuine: genuine.sort(), impostor: impostor.sort() };
    });
    const all = pooled({ byFold, sampled: false, sampling: 1 });
    expect(all.impostor.length).toBe(2_000_000);
    const summary = summarise(all);
    expect(summary.impostor).toMatchObject({ count: 2_000_000 });
    expect(summary.impostor!.min).toBeGreaterThanOrEqual(0.5);
    expect(summary.eer).toBeGreaterThan(0);
    expect(histogramSvg('all pairs', all, [{ label: 'verify', distance: 0.55 }])).toContain('<svg');
    expect(detSvg('all pairs', [{ label: 'synthetic', scores: all }], [{ label: 'verify', distance: 0.55 }])).toContain('<svg');
  });
});
