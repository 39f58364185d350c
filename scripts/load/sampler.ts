/** What the load run records about the processes and Redis at the end of each interval. */
import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import { QUEUES } from '../../src/queue/job-catalog.js';

export interface ResourceSample {
  /** Seconds since the open-loop start. */
  readonly atS: number;
  readonly apiRssMb: number;
  /** One value per worker process. */
  readonly workerRssMb: readonly number[];
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

export async function sampleResources(redis: Redis, prefix: string, pids: { api: number; workers: readonly number[] }, atS: number): Promise<ResourceSample> {
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
  return {
    atS, apiRssMb: rssMb(pids.api), workerRssMb: pids.workers.map(rssMb), redisUsedMb: used / 2 ** 20,
    queued: wait + active + prioritized, keptCompleted: completed, failedJobs: failed, delayed: delayedS + delayedR, redisKeys: keys,
  };
}
