/** Command line of `npm run load`. */
import os from 'node:os';
import { parseArgs } from 'node:util';

export interface LoadArgs {
  /** Seconds of open-loop sending. */
  readonly durationS: number;
  /** Verifications per second; null: 70 % of the capacity measured first. */
  readonly rate: number | null;
  /** Share of the measured capacity to send at when no rate is given. */
  readonly load: number;
  /** Worker processes (one inference each). */
  readonly workers: number;
  /** Subjects enrolled; each is verified with its other photos. */
  readonly subjects: number;
  /** Seconds per row of the report. */
  readonly intervalS: number;
}

export const USAGE = `Usage: npm run load -- [options]
  --duration <s>      seconds of open-loop sending (default 600)
  --rate <per s>      verifications per second (default: --load × the capacity measured first)
  --load <share>      share of the measured capacity when no --rate is given (default 0.7)
  --workers <n>       worker processes (default: the core count, ${os.availableParallelism()} here)
  --subjects <n>      subjects enrolled from ../shared/datasets/identities (default 12)
  --interval <s>      seconds per report row (default 60)
  --help`;

const positive = (name: string, value: string | undefined, fallback: number, integer = true): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!(n > 0) || (integer && !Number.isInteger(n))) throw new Error(`--${name} must be a positive ${integer ? 'integer' : 'number'}, got "${value}"`);
  return n;
};

/** Parses argv; throws naming the bad option; null for --help. */
export function parseLoadArgs(argv: readonly string[]): LoadArgs | null {
  const { values } = parseArgs({
    args: [...argv], strict: true, allowPositionals: false,
    options: {
      duration: { type: 'string' }, rate: { type: 'string' }, load: { type: 'string' }, workers: { type: 'string' },
      subjects: { type: 'string' }, interval: { type: 'string' }, help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return null;
  const load = positive('load', values.load, 0.7, false);
  if (load > 1.5) throw new Error(`--load is a share of capacity (e.g. 0.7), got "${values.load}"`);
  return {
    durationS: positive('duration', values.duration, 600),
    rate: values.rate === undefined ? null : positive('rate', values.rate, 1, false),
    load,
    workers: positive('workers', values.workers, os.availableParallelism()),
    subjects: positive('subjects', values.subjects, 12),
    intervalS: positive('interval', values.interval, 60),
  };
}
