/** The load run's per-interval table and its one-line summary. */
import { markdownTable, num, summarise } from '../bench/stats.js';
import type { Sent } from './open-loop.js';
import type { ResourceSample } from './sampler.js';

export interface Interval {
  readonly index: number;
  readonly sent: number;
  readonly accepted: number;
  readonly errors: number;
  readonly completed: number;
  readonly replays: number;
  /** Upload accepted → result readable, ms. */
  readonly p50: number;
  readonly p95: number;
  /** Upload sent → 202 received, ms. */
  readonly uploadP95: number;
  readonly sample: ResourceSample | undefined;
}

const pct = (values: number[], p: 50 | 95) => (values.length ? (p === 50 ? summarise(values).median : summarise(values).p95) : Number.NaN);

/** Groups the verifications by the interval they were sent in; `samples[i]` was taken at the end of interval i. */
export function intervals(sent: readonly Sent[], samples: readonly ResourceSample[], intervalS: number, durationS: number): Interval[] {
  const count = Math.ceil(durationS / intervalS);
  return Array.from({ length: count }, (_, index) => {
    const mine = sent.filter((s) => Math.floor(s.sentAt / 1000 / intervalS) === index);
    const latencies = mine.filter((s) => s.readableAt !== undefined && s.acceptedAt !== undefined).map((s) => s.readableAt! - s.acceptedAt!);
    const uploads = mine.filter((s) => s.acceptedAt !== undefined).map((s) => s.acceptedAt! - s.sentAt);
    return {
      index, sent: mine.length, accepted: mine.filter((s) => s.acceptedAt !== undefined).length, errors: mine.filter((s) => s.error).length,
      completed: mine.filter((s) => s.status === 'completed').length, replays: mine.filter((s) => s.replay).length,
      p50: pct(latencies, 50), p95: pct(latencies, 95), uploadP95: pct(uploads, 95),
      sample: samples[index],
    };
  });
}

export function intervalTable(rows: readonly Interval[], intervalS: number): string {
  const mb = (v: number | undefined) => num(v, 0);
  return markdownTable(
    [intervalS === 60 ? 'minute' : `${intervalS} s`, 'sent', 'accepted', 'errors', 'completed', 'replay-flagged', 'p50 ms', 'p95 ms', 'upload p95 ms',
      'API RSS MB', 'worker RSS MB', 'worker heap MB', 'worker external MB', 'worker tensors', 'worker jobs', 'Redis used MB', 'queued', 'kept done jobs', 'delayed jobs'],
    rows.map((r) => [
      String(r.index + 1), String(r.sent), String(r.accepted), String(r.errors), String(r.completed), String(r.replays),
      num(r.p50, 0), num(r.p95, 0), num(r.uploadP95, 0), mb(r.sample?.apiRssMb), r.sample?.workerRssMb.map((v) => num(v, 0)).join(' / ') ?? '—',
      perWorker(r.sample?.workerHeapMb, 0), perWorker(r.sample?.workerExternalMb, 0), perWorker(r.sample?.workerTensors), perWorker(r.sample?.workerJobs),
      num(r.sample?.redisUsedMb, 1), String(r.sample?.queued ?? '—'), String(r.sample?.keptCompleted ?? '—'), String(r.sample?.delayed ?? '—'),
    ]),
  );
}

const perWorker = (values: readonly (number | null)[] | undefined, decimals?: number) =>
  values?.map((v) => (v === null ? '—' : decimals === undefined ? String(v) : v.toFixed(decimals))).join(' / ') ?? '—';

/** Growth from the first full interval to the last, in percent. */
const growth = (first: number | undefined, last: number | undefined) =>
  first && last ? (100 * (last - first)) / first : Number.NaN;

/** key=value pairs for scripts and the docs. */
export function summaryLine(facts: Record<string, string | number>, sent: readonly Sent[], rows: readonly Interval[]): string {
  const latencies = sent.filter((s) => s.readableAt !== undefined && s.acceptedAt !== undefined).map((s) => s.readableAt! - s.acceptedAt!);
  const full = rows.filter((r) => r.sample);
  const first = full[0];
  const last = full[full.length - 1];
  const sum = (xs: readonly number[] | undefined) => (xs ?? []).reduce((a, b) => a + b, 0);
  const pairs: Record<string, string | number> = {
    ...facts,
    sent: sent.length,
    accepted: sent.filter((s) => s.acceptedAt !== undefined).length,
    completed: sent.filter((s) => s.status === 'completed').length,
    errors: sent.filter((s) => s.error).length,
    replay_flagged: sent.filter((s) => s.replay).length,
    p50_ms: num(pct(latencies, 50), 0),
    p95_ms: num(pct(latencies, 95), 0),
    p95_first_ms: num(first?.p95, 0),
    p95_last_ms: num(last?.p95, 0),
    api_rss_first_mb: num(first?.sample?.apiRssMb, 0),
    api_rss_last_mb: num(last?.sample?.apiRssMb, 0),
    worker_rss_first_mb: num(sum(first?.sample?.workerRssMb), 0),
    worker_rss_last_mb: num(sum(last?.sample?.workerRssMb), 0),
    worker_rss_growth_pct: num(growth(sum(first?.sample?.workerRssMb), sum(last?.sample?.workerRssMb)), 1),
    worker_tensors_first: perWorker(first?.sample?.workerTensors).replaceAll(' ', ''),
    worker_tensors_last: perWorker(last?.sample?.workerTensors).replaceAll(' ', ''),
    worker_jobs_last: perWorker(last?.sample?.workerJobs).replaceAll(' ', ''),
    redis_used_first_mb: num(first?.sample?.redisUsedMb, 1),
    redis_used_last_mb: num(last?.sample?.redisUsedMb, 1),
    queued_max: full.reduce((m, r) => Math.max(m, r.sample!.queued), 0),
  };
  return Object.entries(pairs).map(([k, v]) => `${k}=${v}`).join(' ');
}
