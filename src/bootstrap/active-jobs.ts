import type { Job, Worker } from 'bullmq';

/** The jobs this process's workers are running, by name, for naming what hung at shutdown. */
export interface ActiveJobs {
  watch(...workers: Worker[]): void;
  byName(): Record<string, number>;
}

export function trackActiveJobs(): ActiveJobs {
  const active = new Map<string, string>();
  const key = (worker: Worker, job: Job) => `${worker.name}/${job.id}`;
  return {
    watch(...workers) {
      for (const worker of workers) {
        worker.on('active', (job) => void active.set(key(worker, job), job.name));
        worker.on('completed', (job) => void active.delete(key(worker, job)));
        worker.on('failed', (job) => void (job && active.delete(key(worker, job))));
      }
    },
    byName() {
      const counts: Record<string, number> = {};
      for (const name of active.values()) counts[name] = (counts[name] ?? 0) + 1;
      return counts;
    },
  };
}
