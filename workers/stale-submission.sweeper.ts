import type { SubmissionQueue } from '../src/domain/submissions/submission-queue.js';
import type { SubmissionRepository } from '../src/domain/submissions/submission-ports.js';
import type { Clock } from '../src/shared/clock.js';
import type { Logger } from '../src/shared/logger.js';

/**
 * Backstop for the gap between the database and Redis: a submission committed while Redis was
 * unreachable (or whose job Redis lost) is still `queued`; enqueueing it again is idempotent.
 */
export function startStaleSubmissionSweeper(opts: {
  submissions: Pick<SubmissionRepository, 'findStaleQueued'>; queue: SubmissionQueue; clock: Clock; logger: Logger;
  intervalMs?: number; olderThanMs?: number;
}): () => void {
  const { intervalMs = 30_000, olderThanMs = 60_000 } = opts;
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      const ids = await opts.submissions.findStaleQueued(new Date(opts.clock.now().getTime() - olderThanMs), 500);
      for (const id of ids) await opts.queue.enqueue(id);
      if (ids.length) opts.logger.info({ count: ids.length }, 're-enqueued stale submissions');
    } catch (error) {
      opts.logger.warn({ err: { message: (error as Error).message } }, 'stale submission sweep failed');
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void sweep(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
