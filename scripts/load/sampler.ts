/** What the load run records about the processes and Redis at the end of each interval. */
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { WorkerStats } from '../../src/bootstrap/worker-stats.js';
import { QUEUES } from '../../src/queue/job-catalog.js';

export interface ResourceSample {
  /** Seconds since the open-loop start. */
  readonly atS: number;
  readonly apiRssMb: number;
  /** One value per worker process. */
  readonly workerRssMb: readonly number[];
  /** Live tfjs tensors per worker process, from its latest 'worker stats' log line (null: none logged yet). */
  readonly workerTensors: readonly (number | null)[];
  /** Jobs each worker process has finished, from the same line. */
  readonly workerJobs: readonly (number | null)[];
  /** JS heap in use and memory outside it (Buffers, the WASM heap) per worker, MB, from the same line. */
  readonly workerHeapMb: readonly (number | null)[];
  readonly workerExternalMb: readonly (number | null)[];
  /** Redis INFO used_memory. */
  readonly redisUsedMb: number;
  /** Submission jobs waiting or being processed: the queue itself. */
  readonly queued: number;
  /** Finished submission jobs BullMQ keeps (removeOnComplete: the last 1000, at most an hour). */
  readonly keptCompleted: number;
  readonly failedJobs: number;
  /** Delayed jobs: the retention timers (one per stored item, due in days) and retries. */
  readonly delayed: number;
  readonly redisKeys: number;
}

/** Resident set size of a process in MB from /proc/<pid>/status (VmRSS); NaN once it has gone. */
export function rssMb(pid: number): number {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
    return line ? Number(line.replace(/\D+/g, '')) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** The product processes sampled: their pids, and each worker's latest 'worker stats' log line. */
export interface SampledProcesses {
  readonly api: number;
  readonly workers: readonly { readonly pid: number; statsLine(): string | null }[];
}

function parseStats(line: string | null): WorkerStats | null {
  if (!line) return null;
  try {
    return JSON.parse(line) as WorkerStats;
  } catch {
    return null;
  }
}

export async function sampleResources(redis: Redis, prefix: string, processes: SampledProcesses, atS: number): Promise<ResourceSample> {
  const key = (queue: string, part: string) => `${prefix}:${queue}:${part}`;
  const s = QUEUES.submissions;
  const r = QUEUES.retention;
  const [info, wait, active, prioritized, completed, failed, delayedS, delayedR, keys] = await Promise.all([
    redis.info('memory'),
    redis.llen(key(s, 'wait')), redis.llen(key(s, 'active')), redis.zcard(key(s, 'prioritized')),
    redis.zcard(key(s, 'completed')), redis.zcard(key(s, 'failed')),
    redis.zcard(key(s, 'delayed')), redis.zcard(key(r, 'delayed')), redis.dbsize(),
  ]);
  const used = Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
  const stats = processes.workers.map((w) => parseStats(w.statsLine()));
  return {
    atS, apiRssMb: rssMb(processes.api), workerRssMb: processes.workers.map((w) => rssMb(w.pid)), redisUsedMb: used / 2 ** 20,
    workerTensors: stats.map((st) => st?.tensors ?? null), workerJobs: stats.map((st) => st?.jobs ?? null),
    workerHeapMb: stats.map((st) => st?.heapUsedMb ?? null), workerExternalMb: stats.map((st) => st?.externalMb ?? null),
    queued: wait + active + prioritized, keptCompleted: completed, failedJobs: failed, delayed: delayedS + delayedR, redisKeys: keys,
  };
}
