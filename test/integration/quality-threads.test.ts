import { readdirSync } from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QualityThreadPool } from '../../src/bootstrap/quality-threads.js';
import { DEFAULT_QUALITY_THRESHOLDS } from '../../src/domain/quality/quality-thresholds.js';
import { AppError } from '../../src/shared/errors.js';
import { createLogger } from '../../src/shared/logger.js';
import { startStack, type Stack } from '../support/stack.js';

// Face detection of POST /v1/quality-check runs on worker threads (issue #16, item 3): a crowded photo keeps the
// detector busy for seconds, and the API must go on answering meanwhile; past the queue it refuses at once.
let stack: Stack;
let crowd: Buffer;

/** `faces` faces on one photo, composed from the shipped sample faces: 20 take seconds of detection and landmarks. */
async function crowdedPhoto(faces: number): Promise<Buffer> {
  const files = readdirSync('samples/faces').filter((f) => /-face\d\.jpg$/.test(f));
  const tiles = await Promise.all(Array.from({ length: faces }, (_, i) => sharp(`samples/faces/${files[i % files.length]}`).resize(200, 200).toBuffer()));
  return sharp({ create: { width: 1000, height: 800, channels: 3, background: '#8a7f70' } })
    .composite(tiles.map((input, i) => ({ input, left: (i % 5) * 200, top: Math.floor(i / 5) * 200 })))
    .jpeg({ quality: 90 })
    .toBuffer();
}

beforeAll(async () => {
  stack = await startStack({ env: { QUALITY_CHECK_THREADS: '1', QUALITY_CHECK_QUEUE: '3', QUALITY_CHECK_TIMEOUT_MS: '110000', ENGINE_BACKEND: 'wasm' } });
  crowd = await crowdedPhoto(20);
});
afterAll(async () => {
  await stack?.stop();
});

describe('quality checks off the request loop', () => {
  it('answers /healthz in well under 300 ms while four crowded photos are checked', async () => {
    // The first check also loads the models in the thread.
    expect((await stack.client.multipart('/v1/quality-check', { image: await crowdedPhoto(1) })).status).toBe(200);

    let running = true;
    const checks = Promise.all([1, 2, 3, 4].map(() => stack.client.multipart('/v1/quality-check', { image: crowd })))
      .finally(() => { running = false; });
    const latencies: number[] = [];
    while (running) {
      const started = performance.now();
      const res = await fetch(`${stack.client.baseUrl}/healthz`);
      await res.arrayBuffer();
      latencies.push(performance.now() - started);
      expect(res.status).toBe(200);
      await new Promise((r) => setTimeout(r, 25));
    }
    const answers = await checks;
    expect(answers.map((a) => a.status), JSON.stringify(answers.map((a) => a.body?.error))).toEqual([200, 200, 200, 200]);
    for (const answer of answers) {
      expect(answer.body.components.faceCount).toBeGreaterThanOrEqual(10);
      expect(answer.body.findings.map((f: { code: string }) => f.code)).toContain('QUALITY_MULTIPLE_FACES');
    }
    expect(latencies.length).toBeGreaterThan(20);
    // On the event loop each /healthz waited for a whole detection (1-8 s). Off it, what is left is scheduling on a
    // shared 2-core machine running other test files: nine in ten answers well under 300 ms, none near a detection.
    const sorted = [...latencies].sort((x, y) => x - y);
    expect(sorted[Math.floor(sorted.length * 0.9)]).toBeLessThan(300);
    expect(sorted.at(-1)).toBeLessThan(1000);
  });

  it('refuses checks past the queue at once with 503 QUALITY_BUSY and Retry-After', async () => {
    // One thread and three waiting places: of eight at once, four are answered and four refused.
    const group = await crowdedPhoto(4);
    const answers = await Promise.all(Array.from({ length: 8 }, () => stack.client.multipart('/v1/quality-check', { image: group })));
    const busy = answers.filter((a) => a.status === 503);
    expect(answers.filter((a) => a.status === 200), JSON.stringify(answers.map((a) => a.body?.error))).toHaveLength(4);
    expect(busy).toHaveLength(4);
    for (const refused of busy) {
      expect(refused.body.error.code).toBe('QUALITY_BUSY');
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
  });
});

describe('a check that runs past QUALITY_CHECK_TIMEOUT_MS', () => {
  it('is answered QUALITY_TIMEOUT, and its thread is replaced so the next check is not stuck behind it', async () => {
    // Twenty faces take far longer than 200 ms anywhere; loading the models does not count against the timeout.
    const pool = new QualityThreadPool({
      engine: { backend: 'wasm', detector: 'ssd', minDetectionScore: 0.5 }, thresholds: DEFAULT_QUALITY_THRESHOLDS,
      threads: 1, queue: 0, timeoutMs: 200,
    }, createLogger('silent'));
    try {
      for (let i = 0; i < 2; i += 1) {
        const error = await pool.check(crowd).then(() => null, (e: unknown) => e);
        expect(error).toBeInstanceOf(AppError);
        // Not QUALITY_BUSY the second time: the ended thread gave its place back.
        expect(error).toMatchObject({ code: 'QUALITY_TIMEOUT', status: 503 });
      }
    } finally {
      await pool.close();
    }
  });
});
