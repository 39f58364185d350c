import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticPassportPage } from '../support/passport-page.js';
import { createConsentingSubject, startStack, type Stack } from '../support/stack.js';

// A worker process killed with SIGKILL mid-inference: its job is taken over once its lock expires
// and the submission is completed exactly once.
const LOCK_MS = 3000;
let stack: Stack;
const children: ChildProcess[] = [];

function startWorkerProcess(): Promise<ChildProcess> {
  const { config } = stack.env;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'worker'], {
    env: {
      ...process.env, NODE_ENV: 'test', DATABASE_URL: config.DATABASE_URL, REDIS_URL: config.redisUrl, DATA_DIR: config.dataDir,
      QUEUE_PREFIX: config.QUEUE_PREFIX, JOB_LOCK_MS: String(LOCK_MS), LOG_LEVEL: 'info', WORKER_PROCESSES: '1', DOCUMENT_OCR: 'false',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('face engine ready')) resolve(child);
    });
    child.stderr!.on('data', (chunk: Buffer) => { out += chunk.toString(); });
    child.on('exit', (code) => reject(new Error(`worker exited early (${code}): ${out.slice(-500)}`)));
  });
}

async function statusOf(id: string): Promise<{ status: string; attempts: number }> {
  const [row] = await stack.service.platform.db.query<{ status: string; attempts: number }>('SELECT status, attempts FROM submissions WHERE id = $1', [id]);
  return row!;
}

beforeAll(async () => {
  stack = await startStack({ env: { JOB_LOCK_MS: String(LOCK_MS) } });
  await createConsentingSubject(stack.client, 'PN-300');
});
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL');
  await stack?.stop();
});

describe('a worker killed mid-job', () => {
  it('has its job run again by another worker, and the submission completes exactly once', async () => {
    const first = await startWorkerProcess();
    const selfie = readFileSync('samples/faces/sample1-face1.jpg');
    const document = await makeSyntheticPassportPage('samples/faces/sample1-face1.jpg');
    const res = await stack.client.multipart('/v1/subjects/PN-300/enrollments', { selfie, document });
    const id = res.body.submissionId as string;

    const until = Date.now() + 30_000;
    while ((await statusOf(id)).status !== 'processing') {
      if (Date.now() > until) throw new Error('the worker never started the job');
      await new Promise((r) => setTimeout(r, 5));
    }
    first.kill('SIGKILL');
    expect((await statusOf(id)).status).toBe('processing');

    await startWorkerProcess();
    const result = await stack.client.waitForSubmission(id, 60_000);
    expect(result).toMatchObject({ status: 'completed', decision: 'verified' });
    expect(result.attempts).toBe(2);
    const templates = await stack.service.platform.db.query('SELECT 1 FROM reference_templates WHERE submission_id = $1', [id]);
    const results = await stack.service.platform.db.query(`SELECT 1 FROM stored_items WHERE submission_id = $1 AND item_class = 'result'`, [id]);
    expect([templates.length, results.length]).toEqual([2, 1]);
  });
});
