/** Command line of `npm run bench`. */
import { parseArgs } from 'node:util';

export interface BenchArgs {
  readonly quick: boolean;
  /** Submissions per timed burst. */
  readonly n: number;
  /** Worker process counts, one burst each. */
  readonly workers: readonly number[];
  /** Recorded passes over each image set in the stage benchmark. */
  readonly reps: number;
  /** Unrecorded passes before them. */
  readonly warmups: number;
  /** Submissions sent one at a time on the idle queue after each burst. */
  readonly probe: number;
  /** Verification selfies: the shipped samples, or the identities subset (1-2 MP photos). */
  readonly selfies: 'samples' | 'identities';
  readonly only: 'all' | 'engine' | 'queue';
  readonly pollMs: number;
}

export const USAGE = `Usage: npm run bench -- [options]
  --quick               small smoke run: n=8, workers 1, 1 recorded pass, 3 identity photos
  --n <count>           submissions per burst (default 40)
  --workers <list>      worker process counts, comma-separated (default 1,2)
  --reps <count>        recorded passes over each image set (default 5)
  --warmups <count>     unrecorded passes before them (default 1)
  --probe <count>       submissions sent one at a time on the idle queue per worker count (default 10)
  --selfies <set>       verification selfies: samples (default) or identities
  --only <part>         engine | queue | all (default)
  --poll-ms <ms>        status poll interval during a burst (default 20)
  --help`;

const positiveInt = (name: string, value: string | undefined, fallback: number, min = 1): number => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}, got "${value}"`);
  return n;
};

/** Parses argv; throws with a message naming the bad option. Returns null for --help. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs | null {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      quick: { type: 'boolean', default: false },
      n: { type: 'string' },
      workers: { type: 'string' },
      reps: { type: 'string' },
      warmups: { type: 'string' },
      probe: { type: 'string' },
      selfies: { type: 'string' },
      only: { type: 'string' },
      'poll-ms': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return null;
  const quick = values.quick ?? false;
  const workers = values.workers === undefined
    ? (quick ? [1] : [1, 2])
    : values.workers.split(',').map((w) => positiveInt('workers', w.trim(), 1));
  const selfies = values.selfies ?? 'samples';
  if (selfies !== 'samples' && selfies !== 'identities') throw new Error(`--selfies must be samples or identities, got "${selfies}"`);
  const only = values.only ?? 'all';
  if (only !== 'all' && only !== 'engine' && only !== 'queue') throw new Error(`--only must be engine, queue or all, got "${only}"`);
  return {
    quick,
    n: positiveInt('n', values.n, quick ? 8 : 40),
    workers,
    reps: positiveInt('reps', values.reps, quick ? 1 : 5),
    warmups: positiveInt('warmups', values.warmups, 1, 0),
    probe: positiveInt('probe', values.probe, quick ? 3 : 10, 0),
    selfies,
    only,
    pollMs: positiveInt('poll-ms', values['poll-ms'], 20),
  };
}
