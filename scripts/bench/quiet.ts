/** Waiting for a quiet machine before a measured run, so that figures from a shared box are taken between others' jobs. */
import os from 'node:os';

export interface QuietOptions {
  /** Highest 1-minute load average to start at. */
  readonly maxLoad: number;
  readonly pollMs: number;
  /** Gives up waiting (and measures anyway) after this long. */
  readonly maxWaitMs: number;
}

/** 1-min load ≤ 1.2 on this 2-core box, checked every 30 s for up to 5 minutes. */
export const QUIET: QuietOptions = { maxLoad: 1.2, pollMs: 30_000, maxWaitMs: 300_000 };

/** What the machine looked like when the measured run started. */
export interface QuietResult {
  /** 1-minute load average when the run started. */
  readonly load1: number;
  readonly waitedS: number;
  /** False: the wait ran out and the run started on a busy machine. */
  readonly quiet: boolean;
}

/** Resolves once the 1-minute load average is at most `maxLoad`, or when `maxWaitMs` has passed. */
export async function waitForQuiet(log: (message: string) => void, options: QuietOptions = QUIET): Promise<QuietResult> {
  const start = Date.now();
  for (;;) {
    const load1 = os.loadavg()[0] ?? 0;
    const waitedS = (Date.now() - start) / 1000;
    if (load1 <= options.maxLoad) return { load1, waitedS, quiet: true };
    if (Date.now() - start + options.pollMs > options.maxWaitMs) {
      log(`load average ${load1.toFixed(2)} still above ${options.maxLoad} after ${waitedS.toFixed(0)} s: measuring anyway`);
      return { load1, waitedS, quiet: false };
    }
    log(`load average ${load1.toFixed(2)} > ${options.maxLoad}: waiting ${options.pollMs / 1000} s for a quieter machine...`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs));
  }
}

/** "0.84 (waited 60 s)" for the report; flagged when the wait ran out. */
export function loadNote(q: QuietResult): string {
  const waited = q.waitedS >= 1 ? ` (waited ${q.waitedS.toFixed(0)} s)` : '';
  return q.quiet ? `${q.load1.toFixed(2)}${waited}` : `**${q.load1.toFixed(2)}: busy machine, waited ${q.waitedS.toFixed(0)} s**`;
}
