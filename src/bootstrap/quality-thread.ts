/**
 * The body of one quality-check thread (started by quality-threads.ts): loads the face engine once, then answers
 * one check at a time. Detection is synchronous WASM work of up to seconds on a crowded photo; here it blocks only
 * this thread, never the API's request loop.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { QualityCheckService } from '../domain/quality/quality-check.service.js';
import { createEngine } from '../engine/create-engine.js';
import { decodeRgb } from '../images/image-codec.js';
import { AppError } from '../shared/errors.js';
import type { QualityThreadData, QualityThreadReply, QualityThreadRequest } from './quality-threads.js';

const port = parentPort;
if (!port) throw new Error('quality-thread.ts runs only as a worker thread');

const { engine: engineConfig, thresholds } = workerData as QualityThreadData;

try {
  const engine = await createEngine(engineConfig);
  const service = new QualityCheckService({ engine, decodeRgb, thresholds });
  port.on('message', (request: QualityThreadRequest) => {
    service.check(request.jpeg).then(
      (result) => reply({ type: 'done', id: request.id, result }),
      (error: unknown) => reply({ type: 'error', id: request.id, error: plain(error) }),
    );
  });
  reply({ type: 'ready' });
} catch (error) {
  // The models could not be trusted or loaded: say why and end; the pool starts a new thread for the next check.
  reply({ type: 'failed', error: plain(error) });
  port.close();
}

function reply(message: QualityThreadReply): void {
  port!.postMessage(message);
}

function plain(error: unknown): { message: string; code?: string; status?: number } {
  if (error instanceof AppError) return { message: error.message, code: error.code, status: error.status };
  return { message: error instanceof Error ? error.message : String(error) };
}
