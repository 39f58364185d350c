/** Markdown tables for the queue + worker benchmark, all per-job figures from the database's timestamps. */
import type { JobRecord, QueueRun } from './queue-throughput.js';
import { markdownTable, ms, num, summarise } from './stats.js';

/** Wall time, rate, scaling against the one-worker run, and where the CPU went. */
export function throughputTable(runs: readonly QueueRun[], cores: number): string {
  const rate = (r: QueueRun) => r.n / (r.wallMs / 1000);
  const single = runs.find((r) => r.workers === 1);
  const rows = runs.map((r) => {
    const wallS = r.wallMs / 1000;
    const processing = r.jobs.reduce((sum, j) => sum + (j.timings['processingMs'] ?? 0), 0) / 1000;
    const other = r.cpu.machine - r.cpu.workers - r.cpu.api;
    return [
      `${r.workers} × concurrency ${r.workerConcurrency}`, String(r.n), num(wallS), num(rate(r)),
      single ? `${num(rate(r) / rate(single))}×` : '—',
      num(r.submitMs / 1000),
      `${Math.round((100 * processing) / (r.workers * r.workerConcurrency * wallS))} %`,
      String(maxOverlap(r.jobs)),
      num(r.cpu.workers, 1), num(r.cpu.api, 1), num(other, 1),
      `${Math.round((100 * r.cpu.machine) / (wallS * cores))} %`,
    ];
  });
  return markdownTable(
    ['workers', 'submissions', 'wall s', 'submissions/s', 'scaling vs 1 worker', 'uploads done at s', 'worker utilisation', 'most jobs at once',
      'worker CPU s', 'API process CPU s', 'other CPU s (PostgreSQL, Redis, rest)', 'machine busy'],
    rows,
  );
}

/** Per-job latencies of one run: the burst, then the submissions sent one at a time on the idle queue. */
export function jobTable(run: QueueRun, pollMs: number, window: number, probePollMs: number): string {
  const finished = (jobs: readonly JobRecord[]) => jobs.filter((j) => j.startedAt !== null && j.completedAt !== null);
  const jobs = finished(run.jobs);
  const probe = finished(run.probe);
  const timing = (key: string) => jobs.map((j) => j.timings[key]).filter((v): v is number => typeof v === 'number');
  const rows: [string, number[]][] = [
    ['created_at → started_at (waits behind the backlog)', jobs.map((j) => j.startedAt! - j.createdAt)],
    ['started_at → completed_at', jobs.map((j) => j.completedAt! - j.startedAt!)],
    ['· processing (result.timings.processingMs)', timing('processingMs')],
    ['· · decode (decodeMs)', timing('decodeMs')],
    ['· · detect + describe (inferenceMs)', timing('inferenceMs')],
    ['· · compare with references (compareMs, reads them from the database)', timing('compareMs')],
    ['· in-job bookkeeping (start→complete − processing: load, unseal, record)', jobs.map((j) => j.completedAt! - j.startedAt! - (j.timings['processingMs'] ?? 0))],
    ['handoff gap (a worker\'s completed_at → its next started_at, job already waiting)', handoffGaps(jobs, run.workers * run.workerConcurrency)],
    [`completed_at → result readable (poll every ${pollMs} ms, oldest ${window} pending)`, jobs.map((j) => j.readableAt - j.completedAt!)],
    ['POST sent → result readable', jobs.map((j) => j.readableAt - j.postAt)],
    ['**idle queue** created_at → started_at', probe.map((j) => j.startedAt! - j.createdAt)],
    [`**idle queue** completed_at → result readable (poll every ${probePollMs} ms)`, probe.map((j) => j.readableAt - j.completedAt!)],
    ['**idle queue** POST sent → result readable', probe.map((j) => j.readableAt - j.postAt)],
  ];
  return markdownTable(['per job (ms)', 'median', 'p95', 'min', 'max', 'jobs'], rows.map(([label, values]) => {
    if (values.length === 0) return [label, '—', '—', '—', '—', '0'];
    const s = summarise(values);
    return [label, ms(s.median), ms(s.p95), ms(s.min), ms(s.max), String(s.n)];
  }));
}

/** The queue's own cost per job, side by side for every worker count (medians). */
export function overheadTable(runs: readonly QueueRun[]): string {
  const median = (values: number[]) => (values.length ? summarise(values).median : null);
  const rows = runs.map((r) => {
    const jobs = r.jobs.filter((j) => j.startedAt !== null && j.completedAt !== null);
    const probe = r.probe.filter((j) => j.startedAt !== null && j.completedAt !== null);
    return [
      String(r.workers),
      ms(median(probe.map((j) => j.startedAt! - j.createdAt))),
      ms(median(handoffGaps(jobs, r.workers * r.workerConcurrency))),
      ms(median(jobs.map((j) => j.completedAt! - j.startedAt! - (j.timings['processingMs'] ?? 0)))),
      ms(median(jobs.map((j) => j.readableAt - j.completedAt!))),
      ms(median(jobs.map((j) => j.timings['processingMs'] ?? Number.NaN).filter(Number.isFinite))),
    ];
  });
  return markdownTable(
    ['workers', 'enqueue → start, idle queue', 'handoff gap between jobs', 'in-job bookkeeping', 'completed → readable (burst)', 'for scale: processing'],
    rows,
  );
}

/**
 * Worker start-up per run: spawn → 'worker ready' (node, the tsx loader compiling the sources, connections, models
 * verified, loaded and warmed), and the parts the worker itself timed. Workers of one run start at the same moment.
 */
export function startupTable(runs: readonly QueueRun[]): string {
  const median = (values: number[]) => (values.length ? summarise(values).median : null);
  const part = (r: QueueRun, key: string) => median(r.startups.flatMap((s) => (s.parts?.[key] === undefined ? [] : [s.parts[key]!])));
  return markdownTable(
    ['workers started together', 'spawn → ready (median)', 'process start → ready, as the worker logs it', 'face engine: checksums, load, warm-up', 'OCR (MRZ)', 'PAD nets', 'rest'],
    runs.map((r) => [
      String(r.workers), ms(median(r.startups.map((s) => s.readyMs))), ms(part(r, 'sinceProcessStart')),
      ms(part(r, 'engine')), ms(part(r, 'documents')), ms(part(r, 'pad')), ms(part(r, 'rest')),
    ]),
  );
}

/** Decisions and attempts, to show every job did the same work exactly once. */
export function outcomeLine(run: QueueRun): string {
  const tally = new Map<string, number>();
  for (const j of [...run.jobs, ...run.probe]) {
    const key = j.status === 'completed' ? (j.decision ?? 'none') : `status ${j.status}`;
    tally.set(key, (tally.get(key) ?? 0) + 1);
  }
  const retried = [...run.jobs, ...run.probe].filter((j) => j.attempts !== 1).length;
  const outcomes = [...tally].map(([k, v]) => `${k} ${v}`).join(', ');
  return `Outcomes (burst + idle-queue): ${outcomes}; jobs run more than once: ${retried}.`;
}

/**
 * Gaps between one job's completion and the next start on the same worker slot, counted only when the next job
 * was already waiting. Slots are not recorded, so each job is matched to the slot that became free last before it
 * started (exact with one slot; with more, a job starting while only one slot is free is matched correctly).
 */
export function handoffGaps(jobs: readonly JobRecord[], slots: number): number[] {
  const sorted = [...jobs].sort((a, b) => a.startedAt! - b.startedAt!);
  const freeAt: number[] = [];
  const gaps: number[] = [];
  for (const job of sorted) {
    let best = -1;
    for (const [i, t] of freeAt.entries()) {
      if (t <= job.startedAt! && (best < 0 || t > freeAt[best]!)) best = i;
    }
    if (best < 0) {
      // No slot free yet: a slot not used so far, else (clock skew of a few ms) the one that frees up first.
      if (freeAt.length < slots) freeAt.push(job.completedAt!);
      else freeAt[freeAt.indexOf(Math.min(...freeAt))] = job.completedAt!;
      continue;
    }
    if (job.createdAt < freeAt[best]!) gaps.push(job.startedAt! - freeAt[best]!);
    freeAt[best] = job.completedAt!;
  }
  return gaps;
}

/** Most jobs in progress at the same moment (from started_at/completed_at). */
export function maxOverlap(jobs: readonly JobRecord[]): number {
  const events = jobs
    .filter((j) => j.startedAt !== null && j.completedAt !== null)
    .flatMap((j) => [[j.startedAt!, 1], [j.completedAt!, -1]] as const)
    // At equal times an end is counted before a start: back-to-back jobs do not overlap.
    .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let now = 0;
  let most = 0;
  for (const [, step] of events) {
    now += step;
    most = Math.max(most, now);
  }
  return most;
}

/**
 * Problems that make the run a failure: submissions that did not complete, and more jobs at once than the
 * workers have slots (something else consumed the queue, so the figures would not describe W workers).
 */
export function runProblems(run: QueueRun): string[] {
  const problems = [...run.jobs, ...run.probe]
    .filter((j) => j.status !== 'completed' || j.startedAt === null || j.completedAt === null)
    .map((j) => `submission ${j.id} (${run.workers} worker(s)) ended ${j.status}`);
  const slots = run.workers * run.workerConcurrency;
  const most = maxOverlap(run.jobs);
  if (most > slots) problems.push(`${most} jobs ran at once with ${run.workers} worker(s) of concurrency ${run.workerConcurrency}`);
  return problems;
}
