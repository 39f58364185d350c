import cluster from 'node:cluster';
import type { Logger } from '../shared/logger.js';

/** A child past its own deadline gets this long to log what hung and exit before the parent kills it. */
const CHILD_EXIT_MARGIN_MS = 2_000;

/**
 * Runs `count` worker processes under one parent, one inference at a time each, so that no process's
 * event loop is blocked long enough to starve BullMQ's lock renewal and every core is used. The parent
 * restarts a child that dies (its job is taken over when the lock expires) and forwards SIGTERM; each child keeps
 * its own shutdown deadline, and one still alive shortly after it (its event loop blocked) is killed.
 */
export function runWorkerPool(count: number, logger: Logger, shutdownMs: number): void {
  let stopping = false;
  const fork = () => {
    const child = cluster.fork();
    child.on('exit', (code, signal) => {
      if (stopping) return;
      logger.warn({ pid: child.process.pid, code, signal }, 'worker process died; starting another');
      setTimeout(fork, 1000);
    });
  };
  for (let i = 0; i < count; i += 1) fork();
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, children: Object.keys(cluster.workers ?? {}).length }, 'stopping worker processes');
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill(signal);
    const check = setInterval(() => {
      if (!Object.keys(cluster.workers ?? {}).length) {
        clearInterval(check);
        process.exit(0);
      }
    }, 100);
    setTimeout(() => {
      const left = Object.values(cluster.workers ?? {}).map((w) => w?.process.pid);
      logger.error({ shutdownMs, pids: left }, 'worker processes still running after their shutdown deadline: killing them');
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGKILL');
      process.exit(1);
    }, shutdownMs + CHILD_EXIT_MARGIN_MS);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/** In a pool child: leave when the parent is gone, rather than run on unsupervised. */
export function exitWithParent(): void {
  if (cluster.isWorker) cluster.worker?.on('disconnect', () => process.exit(1));
}

export const isPoolParent = () => cluster.isPrimary;
