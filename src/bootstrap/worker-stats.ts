/**
 * A worker's memory and the engine's live tensors, logged at a fixed interval. A leak (a tensor not disposed, a
 * buffer kept per job) shows as growth here long before the process is killed, and the load run reads these lines to
 * show RSS and tensors flat over thousands of jobs (docs/BENCHMARKS.md). Counts and sizes only, no personal data.
 */
import type { Logger } from '../shared/logger.js';

export interface WorkerStats {
  readonly rssMb: number;
  readonly heapUsedMb: number;
  /** Memory outside the JS heap (Buffers, the WASM backend's heap), as Node counts it. */
  readonly externalMb: number;
  readonly tensors: number;
  /** Submission jobs this process finished (completed or failed) since it started. */
  readonly jobs: number;
}

export interface WorkerStatsSource {
  readonly tensorCount: () => number;
  readonly jobsDone: () => number;
}

/** Messages of the log lines the load run and benchmarks look for. */
export const WORKER_STATS_MESSAGE = 'worker stats';
export const WORKER_READY_MESSAGE = 'worker ready';

/** Milliseconds since the previous call (or since it was made), whole. */
export function stopwatch(): () => number {
  let last = performance.now();
  return () => {
    const now = performance.now();
    const ms = Math.round(now - last);
    last = now;
    return ms;
  };
}

export function workerStats(source: WorkerStatsSource): WorkerStats {
  const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
  const memory = process.memoryUsage();
  return {
    rssMb: mb(memory.rss), heapUsedMb: mb(memory.heapUsed), externalMb: mb(memory.external),
    tensors: source.tensorCount(), jobs: source.jobsDone(),
  };
}

/** Logs {@link workerStats} every `intervalMs` (0: never); returns the function that stops it. */
export function startWorkerStatsLog(source: WorkerStatsSource, logger: Logger, intervalMs: number): () => void {
  if (intervalMs <= 0) return () => undefined;
  const timer = setInterval(() => logger.info(workerStats(source), WORKER_STATS_MESSAGE), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
