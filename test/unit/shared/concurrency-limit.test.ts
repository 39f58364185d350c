import { describe, expect, it } from 'vitest';
import { limitConcurrency } from '../../../src/shared/concurrency-limit.js';

describe('limitConcurrency', () => {
  it('runs at most max calls at once, the rest in arrival order, and passes results and errors through', async () => {
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const work = async (n: number) => {
      running += 1;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, 5));
      running -= 1;
      order.push(n);
      if (n === 3) throw new Error('three');
      return n * 10;
    };
    const limited = limitConcurrency(work, 2);
    const results = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((n) => limited(n)));
    expect(peak).toBe(2);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as Error).message))).toEqual([10, 20, 'three', 40, 50, 60]);
    expect(order.slice(0, 2).sort()).toEqual([1, 2]);
    // A failed call frees its place too: everything ran.
    expect(order).toHaveLength(6);
    expect(await limited(7)).toBe(70);
  });

  it('refuses a limit below one', () => {
    expect(() => limitConcurrency(async () => 1, 0)).toThrow(RangeError);
  });
});
