/** Product processes (`node --import tsx src/main.ts worker|api`) started and stopped by the benchmark and the load run. */
import { spawn, type ChildProcess } from 'node:child_process';
import { WORKER_READY_MESSAGE, WORKER_STATS_MESSAGE } from '../../src/bootstrap/worker-stats.js';
import type { Config } from '../../src/config/env.js';
import { productEnv } from '../../test/support/processes.js';
import type { Cleanup } from './cleanup.js';


const READY_TIMEOUT_MS = 180_000;
const STOP_TIMEOUT_MS = 30_000;

/** A started worker process. `failure` is set when it exits without being asked to. */
export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  failure: Error | null;
  /** Sends SIGTERM (graceful: in-flight jobs finish), waits, then SIGKILLs a process that does not exit. */
  stop(): Promise<void>;
  /** Its latest 'worker stats' log line (RSS, live tensors, jobs done), kept apart from the log tail; null until one. */
  statsLine(): string | null;
  /** Spawn → ready line, ms, and the start-up parts a worker logs with 'worker ready'; null until ready. */
  startup: WorkerStartup | null;
}

/** How long a process took to become ready; `parts` from a worker's 'worker ready' line (startupMs), if logged. */
export interface WorkerStartup {
  readonly readyMs: number;
  readonly parts: Readonly<Record<string, number>> | null;
}

function startupParts(tail: string): Record<string, number> | null {
  const line = tail.split('\n').find((l) => l.includes(`"msg":"${WORKER_READY_MESSAGE}"`));
  try {
    return line ? ((JSON.parse(line) as { startupMs?: Record<string, number> }).startupMs ?? null) : null;
  } catch {
    return null;
  }
}

/** Starts `count` worker processes in parallel and resolves once all have loaded their models. */
export async function startWorkers(config: Config, count: number, repoRoot: string, cleanup: Cleanup): Promise<WorkerProcess[]> {
  const started = await Promise.allSettled(Array.from({ length: count }, (_, i) => startWorker(config, i + 1, repoRoot, cleanup)));
  const workers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.all(workers.map((w) => w.stop()));
    throw failed.reason;
  }
  return workers;
}

function startWorker(config: Config, index: number, repoRoot: string, cleanup: Cleanup): Promise<WorkerProcess> {
  // One inference process per spawned worker: the benchmark sets the process count itself, so the worker
  // role's own pool (WORKER_PROCESSES, default one per core) is pinned to 1.
  const env = productEnv(config, { LOG_LEVEL: 'info', WORKER_PROCESSES: '1', WORKER_CONCURRENCY: String(config.WORKER_CONCURRENCY) });
  return startProductProcess({ role: 'worker', name: `worker ${index}`, env, readyLine: WORKER_READY_MESSAGE, repoRoot, cleanup });
}

/** What {@link startProductProcess} runs: `src/main.ts <role>` (or its build) with `env`, ready once its log shows `readyLine`. */
export interface ProductProcessOptions {
  readonly role: 'api' | 'worker';
  /** For messages and the cleanup list. */
  readonly name: string;
  readonly env: NodeJS.ProcessEnv;
  readonly readyLine: string;
  readonly repoRoot: string;
  readonly cleanup: Cleanup;
  /**
   * `tsx` (default): `node --import tsx src/main.ts`, the sources as they are. `dist`: `node dist/src/main.js`, the
   * compiled build the Docker image runs (`npm run build` first); tsx's loader alone holds ~130 MB more.
   */
  readonly runtime?: 'tsx' | 'dist';
}

/** Starts one product process, registered for cleanup; resolves once ready. `output()` is its recent log. */
export function startProductProcess(options: ProductProcessOptions): Promise<WorkerProcess & { output(): string }> {
  const { role, name, env, repoRoot, cleanup } = options;
  const entry = options.runtime === 'dist' ? ['dist/src/main.js', role] : ['--import', 'tsx', 'src/main.ts', role];
  const child = spawn(process.execPath, entry, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let tail = '';
  let ready = false;
  let stopping = false;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = cleanup.add(`${name} (pid ${child.pid})`, async () => {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  });
  let statsLine: string | null = null;
  const spawnedAt = performance.now();
  const worker = {
    child, pid: child.pid ?? -1, failure: null as Error | null, stop, output: () => tail, statsLine: () => statsLine,
    startup: null as WorkerStartup | null,
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} not ready after ${READY_TIMEOUT_MS} ms: ${tail}`)), READY_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
      // Only a whole line: the tail is cut at a fixed length, so an older stats line may have lost its start.
      const stats = tail.split('\n').filter((line) => line.startsWith('{') && line.endsWith('}') && line.includes(`"msg":"${WORKER_STATS_MESSAGE}"`)).pop();
      if (stats) statsLine = stats;
      if (!ready && tail.includes(options.readyLine)) {
        ready = true;
        worker.startup = { readyMs: performance.now() - spawnedAt, parts: startupParts(tail) };
        clearTimeout(timer);
        resolve(worker);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', (error) => reject(error));
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (stopping) return;
      const error = new Error(`${name} (pid ${child.pid}) exited unexpectedly (${signal ?? code}): ${tail.slice(-1500)}`);
      worker.failure = error;
      if (!ready) reject(error);
    });
  });
}

/** Throws the first unexpected worker exit, if any. */
export function assertWorkersAlive(workers: readonly WorkerProcess[]): void {
  const failed = workers.find((w) => w.failure);
  if (failed) throw failed.failure;
}
