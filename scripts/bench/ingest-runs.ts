/**
 * The two measured runs of the ingestion benchmark against a separate API process: a burst of simultaneous large
 * uploads (memory), and a closed loop of C clients sending medium uploads (throughput). Both record the API's
 * memory from /proc every ~20 ms and the CPU of the API, this client, PostgreSQL + Redis and the whole machine.
 */
import { readFileSync } from 'node:fs';
import { machineBusySeconds, namedProcessesCpuSeconds, ownCpuSeconds, processTreeCpuSeconds } from './cpu.js';
import type { EncodedForm, UploadClient, UploadOutcome } from './ingest-client.js';

/** VmRSS and VmHWM (peak RSS over the process's life) of a process, MB; NaN once it has gone. */
export function memoryMb(pid: number): { rss: number; hwm: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN) / 1024;
    return { rss: field('VmRSS'), hwm: field('VmHWM') };
  } catch {
    return { rss: Number.NaN, hwm: Number.NaN };
  }
}

/** Samples a process's RSS on a timer; the peak it saw, and VmHWM, which also catches peaks between samples. */
export class RssSampler {
  private timer: NodeJS.Timeout | null = null;
  private readonly samples: number[] = [];
  readonly before: { rss: number; hwm: number };

  constructor(private readonly pid: number, intervalMs = 20) {
    this.before = memoryMb(pid);
    this.timer = setInterval(() => this.samples.push(memoryMb(pid).rss), intervalMs);
  }

  stop(): { before: { rss: number; hwm: number }; peakSampled: number; samples: number; after: { rss: number; hwm: number } } {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const after = memoryMb(this.pid);
    this.samples.push(after.rss);
    return { before: this.before, peakSampled: this.samples.reduce((m, v) => (Number.isNaN(v) ? m : Math.max(m, v)), -Infinity), samples: this.samples.length, after };
  }
}

/** CPU seconds over an interval, by who used them. */
export interface CpuSplit {
  readonly api: number;
  /** This process: the upload client (and the RSS sampler). */
  readonly client: number;
  /** PostgreSQL and Redis server processes (their other clients on this machine included). */
  readonly services: number;
  /** Every process on the machine. */
  readonly machine: number;
}

const SERVICE_COMMANDS = ['postgres', 'redis-server'];

export function cpuNow(apiPid: number): CpuSplit {
  return {
    api: processTreeCpuSeconds(apiPid), client: ownCpuSeconds(), services: namedProcessesCpuSeconds(SERVICE_COMMANDS), machine: machineBusySeconds(),
  };
}

export function cpuSince(before: CpuSplit, after: CpuSplit): CpuSplit {
  return {
    api: after.api - before.api, client: after.client - before.client, services: after.services - before.services, machine: after.machine - before.machine,
  };
}

/** Where and what to upload: the route, and the forms to send in turn. */
export interface UploadPlan {
  readonly client: UploadClient;
  /** Route of the k-th upload (uploads are spread over several subjects). */
  readonly path: (k: number) => string;
  readonly forms: readonly EncodedForm[];
}

export interface BurstRun {
  readonly count: number;
  readonly wallMs: number;
  readonly outcomes: readonly UploadOutcome[];
  readonly memory: ReturnType<RssSampler['stop']>;
  /** VmRSS a moment after the last answer. */
  readonly settledRss: number;
  readonly cpu: CpuSplit;
}

/** `count` uploads started at the same moment, each on its own connection. */
export async function burst(plan: UploadPlan, apiPid: number, count: number, settleMs = 2_000): Promise<BurstRun> {
  const cpuBefore = cpuNow(apiPid);
  const sampler = new RssSampler(apiPid);
  const start = performance.now();
  const outcomes = await Promise.all(Array.from({ length: count }, (_, k) => plan.client.post(plan.path(k), plan.forms[k % plan.forms.length]!)));
  const wallMs = performance.now() - start;
  const cpu = cpuSince(cpuBefore, cpuNow(apiPid));
  const memory = sampler.stop();
  await new Promise((resolve) => setTimeout(resolve, settleMs));
  return { count, wallMs, outcomes, memory, settledRss: memoryMb(apiPid).rss, cpu };
}

export interface ClosedLoopRun {
  readonly clients: number;
  /** Measured window: first upload started → last answer received. */
  readonly wallMs: number;
  readonly outcomes: readonly UploadOutcome[];
  readonly memory: ReturnType<RssSampler['stop']>;
  readonly cpu: CpuSplit;
}

/**
 * `clients` loops, each sending the next form as soon as its previous upload is answered: `warmupMs` unrecorded,
 * then `durationMs` recorded (no new upload starts after it; those in flight are waited for and counted).
 */
export async function closedLoop(plan: UploadPlan, apiPid: number, clients: number, warmupMs: number, durationMs: number): Promise<ClosedLoopRun> {
  let next = 0;
  const loop = async (until: number, into: UploadOutcome[] | null) => {
    while (performance.now() < until) {
      const k = next++;
      const outcome = await plan.client.post(plan.path(k), plan.forms[k % plan.forms.length]!);
      into?.push(outcome);
    }
  };
  const warmUntil = performance.now() + warmupMs;
  await Promise.all(Array.from({ length: clients }, () => loop(warmUntil, null)));
  const outcomes: UploadOutcome[] = [];
  const cpuBefore = cpuNow(apiPid);
  const sampler = new RssSampler(apiPid);
  const start = performance.now();
  await Promise.all(Array.from({ length: clients }, () => loop(start + durationMs, outcomes)));
  const wallMs = performance.now() - start;
  const cpu = cpuSince(cpuBefore, cpuNow(apiPid));
  return { clients, wallMs, outcomes, memory: sampler.stop(), cpu };
}
