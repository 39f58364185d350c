/** Markdown tables of the ingestion benchmark, each figure next to issue 9's target. */
import os from 'node:os';
import type { UploadOutcome } from './ingest-client.js';
import type { BurstRun, ClosedLoopRun, CpuSplit } from './ingest-runs.js';
import { loadNote, type QuietResult } from './quiet.js';
import { markdownTable, ms, num, summarise } from './stats.js';

/** Issue 9's API targets. */
export const TARGETS = { burstRssMb: 300, acceptedPerS: 100 } as const;

/** Status and code of one outcome, as counted in the tables: "202", "503 UPLOADS_BUSY", "0 ECONNRESET", ... */
const outcomeKey = (o: UploadOutcome) => (o.status === 202 ? '202' : `${o.status}${o.code ? ` ${o.code}` : ''}`);

export function countOutcomes(outcomes: readonly UploadOutcome[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const o of outcomes) counts.set(outcomeKey(o), (counts.get(outcomeKey(o)) ?? 0) + 1);
  return counts;
}

/** Everything that is neither 202 nor the designed 503 UPLOADS_BUSY: a product problem to look into. */
export function unexpected(outcomes: readonly UploadOutcome[]): Map<string, number> {
  const counts = countOutcomes(outcomes);
  counts.delete('202');
  counts.delete('503 UPLOADS_BUSY');
  return counts;
}

const listCounts = (counts: Map<string, number>) => [...counts].map(([k, n]) => `${k} × ${n}`).join(', ') || 'none';
const latencies = (outcomes: readonly UploadOutcome[]) => outcomes.filter((o) => o.status === 202).map((o) => o.endedAt - o.startedAt);
const met = (ok: boolean) => (ok ? 'met' : '**not met**');

/** How the CPU of an interval was split; "other" is the machine minus the API, the client and PostgreSQL + Redis. */
export function cpuLine(cpu: CpuSplit, wallMs: number): string {
  const cores = os.availableParallelism();
  const other = Math.max(0, cpu.machine - cpu.api - cpu.client - cpu.services);
  const capacity = (wallMs / 1000) * cores;
  const line = `CPU over ${(wallMs / 1000).toFixed(1)} s (${cores} cores = ${capacity.toFixed(1)} CPU-s): API ${cpu.api.toFixed(1)} s, ` +
    `upload client ${cpu.client.toFixed(1)} s, PostgreSQL + Redis ${cpu.services.toFixed(1)} s, other processes ${other.toFixed(1)} s; ` +
    `machine ${Math.round((100 * cpu.machine) / capacity)} % busy.`;
  return other > capacity / 4
    ? `${line} **Warning: other processes used ${Math.round((100 * other) / capacity)} % of the machine meanwhile; these figures are inflated by contention.**`
    : line;
}

export function burstTable(run: BurstRun, bodyMb: number, limitMb: number, q: QuietResult): string {
  const counts = countOutcomes(run.outcomes);
  const lat = latencies(run.outcomes);
  const s = lat.length ? summarise(lat) : null;
  const peak = Math.max(run.memory.peakSampled, run.memory.after.hwm);
  const other = [...unexpected(run.outcomes).values()].reduce((a, b) => a + b, 0);
  return markdownTable(['measure', 'value', 'target'], [
    ['load average (1 min) at start', loadNote(q), '≤ 1.2'],
    ['uploads started at once', `${run.count} × ${num(bodyMb, 2)} MB body`, `50 × 8 MB (limit ${num(limitMb, 1)} MB per file)`],
    ['202 accepted', String(counts.get('202') ?? 0), ''],
    ['503 UPLOADS_BUSY', String(counts.get('503 UPLOADS_BUSY') ?? 0), 'allowed (back-pressure)'],
    ['other answers', listCounts(unexpected(run.outcomes)), met(other === 0)],
    ['wall time, first sent → last answer', `${(run.wallMs / 1000).toFixed(1)} s`, ''],
    ['latency of accepted uploads, median / p95 / max', s ? `${ms(s.median)} / ${ms(s.p95)} / ${ms(s.max)} ms` : '—', ''],
    ['API RSS before (baseline)', `${num(run.memory.before.rss, 0)} MB`, ''],
    ['API RSS peak (sampled every 20 ms; ' + run.memory.samples + ' samples)', `${num(run.memory.peakSampled, 0)} MB`, ''],
    ['API VmHWM before → after (peak of the process’s life)', `${num(run.memory.before.hwm, 0)} → ${num(run.memory.after.hwm, 0)} MB`, ''],
    ['API peak RSS during the burst', `${num(peak, 0)} MB`, `< ${TARGETS.burstRssMb} MB: ${met(peak < TARGETS.burstRssMb)}`],
    ['API RSS 2 s after the last answer', `${num(run.settledRss, 0)} MB`, ''],
  ]);
}

/**
 * The largest-form run. It follows the 8 MB burst, whose memory the allocator may still hold, so it is judged by
 * what it added: at most one request budget per upload slot.
 */
export function largestFormTable(run: BurstRun, formMb: number, boundMb: number): string {
  const peak = Math.max(run.memory.peakSampled, run.memory.after.hwm);
  const added = peak - run.memory.before.rss;
  return markdownTable(['measure', 'value', 'target'], [
    ['forms sent at once', `${run.count} × ${num(formMb, 0)} MB`, ''],
    ['answers', listCounts(countOutcomes(run.outcomes)), '413 IMAGE_TOO_LARGE (a frame over UPLOAD_FRAME_MAX_BYTES)'],
    ['wall time, first sent → last answer', `${(run.wallMs / 1000).toFixed(1)} s`, ''],
    ['API RSS before → peak (sampled, VmHWM) → 2 s after', `${num(run.memory.before.rss, 0)} → ${num(peak, 0)} → ${num(run.settledRss, 0)} MB`, ''],
    ['added by the forms (peak − before)', `${num(added, 0)} MB`, `≤ ${num(boundMb, 0)} MB (slots × request budget): ${met(added <= boundMb)}`],
  ]);
}

export function throughputTable(runs: readonly (ClosedLoopRun & { quiet: QuietResult })[]): string {
  return markdownTable(
    ['clients', 'load avg at start', 'uploads', 'accepted/s', 'not accepted', 'latency p50 / p95 ms', 'API CPU (cores)', 'API CPU ms / upload',
      'client / PG+Redis CPU ms / upload', 'API RSS peak MB', `target ≥ ${TARGETS.acceptedPerS}/s`],
    runs.map((r) => {
      const accepted = r.outcomes.filter((o) => o.status === 202).length;
      const perS = accepted / (r.wallMs / 1000);
      const lat = latencies(r.outcomes);
      const s = lat.length ? summarise(lat) : null;
      const per = (cpuS: number) => (accepted ? (1000 * cpuS) / accepted : Number.NaN);
      return [
        String(r.clients), loadNote(r.quiet), String(r.outcomes.length), num(perS, 1), listCounts(unexpectedOrBusy(r.outcomes)),
        s ? `${ms(s.median)} / ${ms(s.p95)}` : '—', num(r.cpu.api / (r.wallMs / 1000), 2), num(per(r.cpu.api), 1),
        `${num(per(r.cpu.client), 1)} / ${num(per(r.cpu.services), 1)}`,
        num(Math.max(r.memory.peakSampled, r.memory.after.hwm > r.memory.before.hwm ? r.memory.after.hwm : 0), 0), met(perS >= TARGETS.acceptedPerS),
      ];
    }),
  );
}

function unexpectedOrBusy(outcomes: readonly UploadOutcome[]): Map<string, number> {
  const counts = countOutcomes(outcomes);
  counts.delete('202');
  return counts;
}

/** One row per image set: what normalizeUpload alone costs in one process, one upload at a time. */
export interface NormalizeTiming {
  readonly set: string;
  readonly images: number;
  readonly meanMb: number;
  readonly pixels: string;
  /** Wall ms per call: median and p95 over every call. */
  readonly wall: { median: number; p95: number };
  /** Process CPU ms per call (libvips may use several threads). */
  readonly cpuMs: number;
}

export function normalizeTable(rows: readonly NormalizeTiming[]): string {
  return markdownTable(
    ['upload part', 'images', 'mean size MB', 'pixels', 'normalizeUpload wall median / p95 ms', 'CPU ms per call'],
    rows.map((r) => [r.set, String(r.images), num(r.meanMb, 2), r.pixels, `${ms(r.wall.median)} / ${ms(r.wall.p95)}`, num(r.cpuMs, 1)]),
  );
}

/**
 * The API's CPU per accepted upload split into what normalizeUpload alone costs for its two images and the rest,
 * and the rate this machine's cores allow at that cost.
 */
export function timeSplit(run: ClosedLoopRun, normalizeMs: number): string {
  const accepted = run.outcomes.filter((o) => o.status === 202).length;
  if (!accepted) return 'nothing accepted';
  const apiMs = (1000 * run.cpu.api) / accepted;
  const cores = os.availableParallelism();
  return `API ${num(apiMs, 1)} ms CPU per upload = normalizeUpload of selfie + page ${num(normalizeMs, 1)} ms ` +
    `(${Math.round((100 * normalizeMs) / apiMs)} %, measured alone) + ${num(apiMs - normalizeMs, 1)} ms the rest (HTTP and multipart parsing, ` +
    `sha256, sealing and writing two blobs, the submission's rows, enqueue, request log, garbage collection). ` +
    `${cores} cores at that cost: at most ${num((cores * 1000) / apiMs, 0)} uploads/s; ${TARGETS.acceptedPerS}/s needs ≤ ${num((cores * 1000) / TARGETS.acceptedPerS, 0)} ms per upload.`;
}
