import { afterEach, describe, expect, it, vi } from 'vitest';
import { WORKER_STATS_MESSAGE, startWorkerStatsLog, stopwatch, workerStats } from '../../../src/bootstrap/worker-stats.js';
import type { Logger } from '../../../src/shared/logger.js';

describe('worker stats', () => {
  afterEach(() => vi.useRealTimers());

  it('reports memory in MB, the live tensors and the jobs done, nothing else', () => {
    const stats = workerStats({ tensorCount: () => 357, jobsDone: () => 12 });
    expect(Object.keys(stats).sort()).toEqual(['externalMb', 'heapUsedMb', 'jobs', 'rssMb', 'tensors']);
    expect(stats.tensors).toBe(357);
    expect(stats.jobs).toBe(12);
    expect(stats.rssMb).toBeGreaterThan(stats.heapUsedMb);
  });

  it('logs them at the interval until stopped, and not at all when the interval is 0', () => {
    vi.useFakeTimers();
    const info = vi.fn();
    const logger = { info } as unknown as Logger;
    let jobs = 0;
    const stop = startWorkerStatsLog({ tensorCount: () => 1, jobsDone: () => jobs }, logger, 1000);
    jobs = 5;
    vi.advanceTimersByTime(2500);
    expect(info).toHaveBeenCalledTimes(2);
    expect(info).toHaveBeenLastCalledWith(expect.objectContaining({ jobs: 5, tensors: 1 }), WORKER_STATS_MESSAGE);
    stop();
    vi.advanceTimersByTime(5000);
    expect(info).toHaveBeenCalledTimes(2);
    startWorkerStatsLog({ tensorCount: () => 1, jobsDone: () => 0 }, logger, 0);
    vi.advanceTimersByTime(5000);
    expect(info).toHaveBeenCalledTimes(2);
  });

  it('measures laps in whole milliseconds', () => {
    vi.useFakeTimers();
    const lap = stopwatch();
    vi.advanceTimersByTime(40);
    expect(lap()).toBe(40);
    vi.advanceTimersByTime(5);
    expect(lap()).toBe(5);
  });
});
