import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticPassportPage } from '../support/passport-page.js';
import { exitOf, productEnv } from '../support/processes.js';
import { createConsentingSubject, startStack, type Stack } from '../support/stack.js';

// `npm run start:worker` on a multi-core machine: one parent, N worker processes, each one inference at a time.
let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('worker process pool', () => {
  it('runs N processes, replaces one that dies, and stops them all on SIGTERM', async () => {
    const pool = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', 'worker'], {
      env: productEnv(stack.env.config, { WORKER_PROCESSES: '2' }), stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    pool.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
    pool.stderr!.on('data', (d: Buffer) => { out += d.toString(); });
    const ready = (n: number) => (out.match(/face engine ready/g) ?? []).length >= n;
    for (let i = 0; i < 600 && !ready(2); i += 1) await new Promise((r) => setTimeout(r, 100));
    expect(ready(2), out.slice(-500)).toBe(true);
    const pids = [...out.matchAll(/"pid":(\d+)[^\n]*face engine ready/g)].map((m) => Number(m[1]));
    expect(new Set(pids).size).toBe(2);

    await createConsentingSubject(stack.client, 'PN-POOL');
    const selfie = readFileSync('samples/faces/sample1-face1.jpg');
    const res = await stack.client.multipart('/v1/subjects/PN-POOL/enrollments', { selfie, document: await makeSyntheticPassportPage('samples/faces/sample1-face1.jpg') });
    expect((await stack.client.waitForSubmission(res.body.submissionId, 60_000)).decision).toBe('verified');

    process.kill(pids[0]!, 'SIGKILL');
    for (let i = 0; i < 600 && !ready(3); i += 1) await new Promise((r) => setTimeout(r, 100));
    expect(out).toContain('worker process died; starting another');
    expect(ready(3)).toBe(true);

    pool.kill('SIGTERM');
    expect(await exitOf(pool)).toBe(0);
    const alive = pids.slice(1).filter((pid) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    });
    expect(alive).toEqual([]);
  });
});
