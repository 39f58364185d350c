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
  readonly only: 'all' | 'engine' | 'queue' | 'ingest';
  /** With --only engine: the engine on tfjs WASM and on onnxruntime side by side (scripts/bench/compare-backends.ts). */
  readonly compareBackends: boolean;
  readonly pollMs: number;
  /** Ingestion: concurrent upload clients, one closed-loop run each. */
  readonly clients: readonly number[];
  /** Ingestion: recorded seconds of each closed-loop run. */
  readonly ingestSeconds: number;
  /** Ingestion: the API as the Docker image runs it (compiled dist/) or from the sources under tsx. */
  readonly apiRuntime: 'dist' | 'tsx';
  /** Ingestion: extra environment of the API process (e.g. allocator settings to compare). */
  readonly apiEnv: Readonly<Record<string, string>>;
}

export const USAGE = `Usage: npm run bench -- [options]
  --quick               small smoke run: n=8, workers 1, 1 recorded pass, 3 identity photos;
                        ingest: 8 clients × 5 s, measured without waiting for a quiet machine
  --n <count>           submissions per burst (default 40)
  --workers <list>      worker process counts, comma-separated (default 1,2)
  --reps <count>        recorded passes over each image set (default 5)
  --warmups <count>     unrecorded passes before them (default 1)
  --probe <count>       submissions sent one at a time on the idle queue per worker count (default 10)
  --selfies <set>       verification selfies: samples (default) or identities
  --only <part>         engine | queue | ingest | all (default: engine + queue)
                        ingest: API upload ingestion (memory under 50 simultaneous 8 MB uploads, uploads/s of
                        2 MB images) against a separate API process; takes ~3-6 min (it waits for a 1-min load
                        average <= 1.2 before each measured run), so it is not part of "all"
  --compare-backends    with --only engine: the engine on WASM and with its native nets on onnxruntime
                        (ENGINE_BACKEND=native), same images, per stage; last line wasm_ms=… native_ms=…
                        speedup=… max_embedding_delta=…
  --poll-ms <ms>        status poll interval during a burst (default 20)
  --clients <list>      ingest: concurrent upload clients, comma-separated, one run each (default 8,16; 8 with --quick)
  --ingest-s <s>        ingest: recorded seconds per closed-loop run (default 15; 5 with --quick)
  --api-runtime <r>     ingest: dist (default: builds dist/ with npm run build and runs node dist/src/main.js api,
                        as the Docker image does) or tsx (node --import tsx src/main.ts api, ~130 MB more RSS)
  --api-env <K=V>       ingest: an environment variable for the API process (repeatable), e.g.
                        --api-env MALLOC_ARENA_MAX=2 --api-env MALLOC_MMAP_THRESHOLD_=131072
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
      'compare-backends': { type: 'boolean', default: false },
      clients: { type: 'string' },
      'ingest-s': { type: 'string' },
      'api-runtime': { type: 'string' },
      'api-env': { type: 'string', multiple: true },
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
  if (only !== 'all' && only !== 'engine' && only !== 'queue' && only !== 'ingest') {
    throw new Error(`--only must be engine, queue, ingest or all, got "${only}"`);
  }
  const compareBackends = values['compare-backends'] ?? false;
  if (compareBackends && only !== 'engine') throw new Error('--compare-backends needs --only engine');
  const apiRuntime = values['api-runtime'] ?? 'dist';
  if (apiRuntime !== 'dist' && apiRuntime !== 'tsx') throw new Error(`--api-runtime must be dist or tsx, got "${apiRuntime}"`);
  return {
    quick,
    n: positiveInt('n', values.n, quick ? 8 : 40),
    workers,
    reps: positiveInt('reps', values.reps, quick ? 1 : 5),
    warmups: positiveInt('warmups', values.warmups, 1, 0),
    probe: positiveInt('probe', values.probe, quick ? 3 : 10, 0),
    selfies,
    only,
    compareBackends,
    pollMs: positiveInt('poll-ms', values['poll-ms'], 20),
    clients: values.clients === undefined
      ? (quick ? [8] : [8, 16])
      : values.clients.split(',').map((c) => positiveInt('clients', c.trim(), 1)),
    ingestSeconds: positiveInt('ingest-s', values['ingest-s'], quick ? 5 : 15),
    apiRuntime,
    apiEnv: Object.fromEntries((values['api-env'] ?? []).map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 1) throw new Error(`--api-env takes NAME=value, got "${pair}"`);
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    })),
  };
}
