/**
 * POST /v1/quality-check's detection, run on worker threads of the API process. A crowded photo keeps the detector
 * busy for seconds of synchronous WASM; on the request loop that froze /healthz and every other request (issue #16).
 * Here at most `threads` checks run at once, at most `queue` more wait, and the rest are refused at once.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { QualityCheckResult, QualityChecker } from '../domain/quality/quality-check.service.js';
import type { QualityThresholds } from '../domain/quality/quality-thresholds.js';
import type { EngineConfig } from '../engine/create-engine.js';
import { AppError, UnavailableError } from '../shared/errors.js';
import type { Logger } from '../shared/logger.js';
import { Semaphore } from '../shared/semaphore.js';

/** What each thread is started with: plain data, copied into the thread. */
export interface QualityThreadData {
  readonly engine: EngineConfig;
  readonly thresholds: QualityThresholds;
}
export interface QualityThreadRequest {
  readonly id: number;
  readonly jpeg: Uint8Array;
}
type ThreadError = { message: string; code?: string; status?: number };
export type QualityThreadReply =
  | { type: 'ready' }
  | { type: 'failed'; error: ThreadError }
  | { type: 'done'; id: number; result: QualityCheckResult }
  | { type: 'error'; id: number; error: ThreadError };

export interface QualityThreadSettings extends QualityThreadData {
  /** Checks run at once, one per thread (QUALITY_CHECK_THREADS). */
  readonly threads: number;
  /** Checks that may wait for a thread (QUALITY_CHECK_QUEUE). */
  readonly queue: number;
  /** Longest wait for a thread, and longest run on it (QUALITY_CHECK_TIMEOUT_MS). */
  readonly timeoutMs: number;
}

// Seconds a refused client is told to wait: a check takes well under a second on an ordinary selfie.
const BUSY_RETRY_AFTER_S = 2;
const TIMEOUT_RETRY_AFTER_S = 5;

interface Thread {
  readonly worker: Worker;
  /** Resolves once the thread's engine is loaded; rejects if it could not be. */
  readonly ready: Promise<void>;
  busy: boolean;
  /** The check in flight on this thread, settled by its reply, the timeout or the thread's end. */
  settle?: (reply: QualityThreadReply | Error) => void;
}

/** The quality checker the API uses: QualityCheckService on worker threads, started on first use. */
export class QualityThreadPool implements QualityChecker {
  private readonly places: Semaphore;
  private readonly threads: (Thread | null)[];
  private pending = 0;
  private nextId = 1;
  private closed = false;

  constructor(private readonly settings: QualityThreadSettings, private readonly logger: Logger) {
    this.places = new Semaphore(settings.threads);
    this.threads = Array.from({ length: settings.threads }, () => null);
  }

  async check(jpeg: Uint8Array): Promise<QualityCheckResult> {
    if (this.closed) throw new UnavailableError('QUALITY_BUSY', 'The quality check is shutting down; try again shortly.', BUSY_RETRY_AFTER_S);
    if (this.pending >= this.settings.threads + this.settings.queue) {
      throw new UnavailableError('QUALITY_BUSY', 'Too many quality checks at once; try again in a few seconds.', BUSY_RETRY_AFTER_S);
    }
    this.pending += 1;
    try {
      if (!(await this.places.acquire(this.settings.timeoutMs))) throw timeoutError();
      try {
        return await this.run(jpeg);
      } finally {
        this.places.release();
      }
    } finally {
      this.pending -= 1;
    }
  }

  /** Ends every thread; checks in flight fail. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t, i) => t && this.retire(i, new Error('quality check pool closed'))));
  }

  private async run(jpeg: Uint8Array): Promise<QualityCheckResult> {
    const index = this.threads.findIndex((t) => !t?.busy);
    const thread = this.threads[index] ?? this.start(index);
    thread.busy = true;
    try {
      await thread.ready;
      // A copy the thread can own: the upload's bytes may sit in a shared pool slab.
      const request: QualityThreadRequest = { id: this.nextId++, jpeg: jpeg.slice() };
      const reply = await new Promise<QualityThreadReply | Error>((resolve) => {
        const timer = setTimeout(() => {
          // WASM cannot be interrupted; the thread is ended and a fresh one takes its place on the next check.
          this.logger.warn({ timeoutMs: this.settings.timeoutMs }, 'quality check ran past its timeout; thread restarted');
          void this.retire(index, timeoutError());
        }, this.settings.timeoutMs);
        thread.settle = (r) => {
          clearTimeout(timer);
          thread.settle = undefined;
          resolve(r);
        };
        thread.worker.postMessage(request, [request.jpeg.buffer as ArrayBuffer]);
      });
      if (reply instanceof Error) throw reply;
      if (reply.type === 'done') return reply.result;
      throw 'error' in reply ? fromThread(reply.error) : new Error(`unexpected reply ${reply.type}`);
    } finally {
      thread.busy = false;
    }
  }

  private start(index: number): Thread {
    const worker = spawnQualityThread({ engine: this.settings.engine, thresholds: this.settings.thresholds });
    let loaded: (error?: Error) => void = () => undefined;
    const ready = new Promise<void>((resolve, reject) => {
      loaded = (error) => (error ? reject(error) : resolve());
    });
    ready.catch(() => undefined);
    const thread: Thread = { worker, ready, busy: false };
    worker.on('message', (reply: QualityThreadReply) => {
      if (reply.type === 'ready') return loaded();
      if (reply.type === 'failed') {
        const error = fromThread(reply.error);
        loaded(error);
        return void this.retire(index, error);
      }
      thread.settle?.(reply);
    });
    const ended = (error: Error) => {
      loaded(error);
      thread.settle?.(error);
      if (this.threads[index] === thread) this.threads[index] = null;
    };
    worker.on('error', (error) => {
      this.logger.error({ err: { message: error.message } }, 'quality check thread failed');
      ended(error);
    });
    worker.on('exit', () => ended(new Error('quality check thread ended')));
    this.threads[index] = thread;
    return thread;
  }

  /** Ends thread `index`, failing its check in flight with `reason`. */
  private async retire(index: number, reason: Error): Promise<void> {
    const thread = this.threads[index];
    if (!thread) return;
    this.threads[index] = null;
    thread.settle?.(reason);
    await thread.worker.terminate();
  }
}

function timeoutError(): UnavailableError {
  return new UnavailableError('QUALITY_TIMEOUT', 'The quality check took too long; try again in a few seconds.', TIMEOUT_RETRY_AFTER_S);
}

function fromThread(error: ThreadError): Error {
  return error.code && error.status ? new AppError(error.code, error.message, error.status) : new Error(error.message);
}

const require = createRequire(import.meta.url);

/**
 * Starts quality-thread next to this file: compiled JS in the image (dist/src/bootstrap), TypeScript under tsx and
 * vitest (src/bootstrap). A thread does not inherit a loader the way a forked process inherits tsx's flags, so for
 * the TypeScript entry it registers tsx's loader itself before importing it.
 */
function spawnQualityThread(data: QualityThreadData): Worker {
  const self = fileURLToPath(import.meta.url);
  const entry = pathToFileURL(path.join(path.dirname(self), `quality-thread${path.extname(self)}`));
  if (path.extname(self) !== '.ts') return new Worker(entry, { workerData: data });
  const tsx = pathToFileURL(path.join(path.dirname(require.resolve('tsx/esm/api')), 'index.mjs')).href;
  const boot = `import(${JSON.stringify(tsx)}).then((api) => { api.register(); return import(${JSON.stringify(entry.href)}); });`;
  return new Worker(boot, { eval: true, workerData: data });
}
