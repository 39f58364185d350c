import type { Logger } from '../shared/logger.js';

/** One part of the process to stop; closers run in order (the HTTP server first, the database last). */
export interface Closer {
  readonly name: string;
  close(): Promise<void>;
}

export interface ShutdownOptions {
  readonly closers: readonly Closer[];
  /** After this the process exits whatever still runs: below the orchestrator's kill grace, so the log line is written. */
  readonly deadlineMs: number;
  readonly logger: Logger;
  /** What is still running, for the forced-exit line: counts, route patterns and job names only (URLs name people). */
  readonly running: () => Record<string, unknown>;
  readonly exit: (code: number) => void;
}

/** A shutdown in progress; `force` ends it at once (a second signal). */
export interface Shutdown {
  readonly done: Promise<void>;
  force(reason: string): void;
}

/**
 * Stops the closers in order and exits 0 (1 if one failed). When the deadline passes first, or `force` is called,
 * it logs which closer was still closing, which never started, and what was running, then exits 1: a hung request,
 * job or connection must not keep the process alive until the orchestrator kills it without a word.
 */
export function shutdownWithDeadline(opts: ShutdownOptions): Shutdown {
  const started = Date.now();
  const notClosed = new Set(opts.closers.map((c) => c.name));
  let closing: string | null = null;
  let finished = false;
  const end = (code: number) => {
    if (finished) return;
    finished = true;
    clearTimeout(timer);
    opts.exit(code);
  };
  const force = (reason: string) => {
    if (finished) return;
    opts.logger.error({
      reason, deadlineMs: opts.deadlineMs, elapsedMs: Date.now() - started, closing, notClosed: [...notClosed], running: opts.running(),
    }, 'shutdown did not finish: exiting with work still running');
    end(1);
  };
  const timer = setTimeout(() => force('deadline passed'), opts.deadlineMs);

  const done = (async () => {
    let failed = false;
    for (const closer of opts.closers) {
      closing = closer.name;
      try {
        await closer.close();
      } catch (error) {
        failed = true;
        opts.logger.warn({ closer: closer.name, err: { message: (error as Error).message } }, 'could not close cleanly');
      }
      notClosed.delete(closer.name);
      if (finished) return;
    }
    closing = null;
    opts.logger.info({ elapsedMs: Date.now() - started }, 'stopped');
    end(failed ? 1 : 0);
  })();
  return { done, force };
}
