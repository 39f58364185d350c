import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeSyntheticPassportPage } from '../support/passport-page.js';
import { createConsentingSubject, startStack, type Stack } from '../support/stack.js';

// Chaos: Redis (AOF on) is killed and restarted while submissions flow. Every submission must reach
// exactly one terminal state, nothing stuck, nothing written twice; /readyz names Redis meanwhile.
// Run with `npm run chaos`; figures go to docs/RELIABILITY.md.
const dir = mkdtempSync(path.join(tmpdir(), 'zinda-chaos-redis-'));
let port = 0;
let redis: ChildProcess | null = null;
let stack: Stack;
const report: Record<string, number> = {};

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as net.AddressInfo).port;
    s.close(() => resolve(p));
  });
});

async function startRedis() {
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--appendonly', 'yes',
    '--appendfsync', 'always', '--save', '', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i += 1) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(port, '127.0.0.1', () => { c.end(); resolve(true); });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('redis did not start');
}

beforeAll(async () => {
  port = await freePort();
  await startRedis();
  stack = await startStack({ worker: true, env: { REDIS_URL: `redis://127.0.0.1:${port}`, STALE_SUBMISSION_SECONDS: '5', JOB_LOCK_MS: '5000' } });
  await createConsentingSubject(stack.client, 'PN-CHAOS');
  const page = await makeSyntheticPassportPage('samples/faces/sample1-face1.jpg');
  const res = await stack.client.multipart('/v1/subjects/PN-CHAOS/enrollments', { selfie: readFileSync('samples/faces/sample1-face1.jpg'), document: page });
  await stack.client.waitForSubmission(res.body.submissionId);
});

afterAll(async () => {
  await stack?.stop().catch(() => undefined);
  redis?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  writeFileSync('docs/chaos-redis.json', `${JSON.stringify(report, null, 2)}\n`);
});

describe('Redis killed and restarted under load', () => {
  it('loses nothing, duplicates nothing, and recovers without a restart', async () => {
    const selfie = readFileSync('samples/faces/sample1-face1.jpg');
    const accepted: string[] = [];
    let refused = 0;
    const send = async () => {
      const res = await stack.client.multipart('/v1/subjects/PN-CHAOS/verifications', { selfie });
      if (res.status === 202) accepted.push(res.body.submissionId);
      else {
        expect([503, 429]).toContain(res.status);
        refused += 1;
      }
    };
    for (let i = 0; i < 4; i += 1) await send();

    redis!.kill('SIGKILL');
    const downAt = Date.now();
    await new Promise((r) => setTimeout(r, 300));
    const ready = await stack.client.json('GET', '/readyz');
    expect(ready.status).toBe(503);
    expect(ready.headers.get('retry-after')).toBeTruthy();
    expect(ready.body.checks.find((c: { name: string }) => c.name === 'redis').ok).toBe(false);
    for (let i = 0; i < 4; i += 1) await send();
    await new Promise((r) => setTimeout(r, 3000));
    await startRedis();
    const upAt = Date.now();

    for (let i = 0; i < 4; i += 1) await send();
    const terminal = await Promise.all(accepted.map((id) => stack.client.waitForSubmission(id, 120_000)));
    const doneAt = Date.now();
    expect((await stack.client.json('GET', '/readyz')).status).toBe(200);

    const rows = await stack.service.platform.db.query<{ id: string; n: number }>(
      `SELECT submission_id AS id, count(*)::int AS n FROM stored_items WHERE item_class = 'result' AND submission_id = ANY($1::uuid[]) GROUP BY submission_id`, [accepted]);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    expect(rows.length).toBe(accepted.length);
    const stuck = await stack.service.platform.db.query(`SELECT 1 FROM submissions WHERE status IN ('queued','processing')`);
    Object.assign(report, {
      sent: accepted.length + refused, accepted: accepted.length, refusedWhileDown: refused,
      completed: terminal.filter((t) => t.status === 'completed').length, failed: terminal.filter((t) => t.status === 'failed').length,
      lost: accepted.length - terminal.length, duplicated: rows.filter((r) => r.n > 1).length, stuck: stuck.length,
      redisDownMs: upAt - downAt, recoveryAfterRedisBackMs: doneAt - upAt,
    });
    expect(report.lost).toBe(0);
    expect(stuck).toHaveLength(0);
  });
});
