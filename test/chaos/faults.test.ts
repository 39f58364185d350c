import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { datasetsDir } from '../support/datasets.js';
import { makeSyntheticPassportPage } from '../support/passport-page.js';
import { createConsentingSubject, startStack, type Stack } from '../support/stack.js';

// Chaos: while verifications flow at a steady rate, PostgreSQL is restarted, the blob store's disk fills up, and Redis
// is paused long enough for every BullMQ lock to expire. After each: every accepted submission reaches exactly one
// terminal state, none is written twice, none is stuck, and the API answers 503 + Retry-After (never 500) while a
// dependency is down. The services are private instances started here, so the shared ones are never touched.
// Run with `npm run chaos` (as root: PostgreSQL runs as the `postgres` user, the disk is a small tmpfs).
const PG_BIN = '/usr/lib/postgresql/15/bin';
const root = mkdtempSync(path.join(tmpdir(), 'zinda-chaos-faults-'));
const pgData = path.join(root, 'pg');
const pgRun = path.join(root, 'pgrun');
const dataDir = path.join(root, 'data');
const report: Record<string, Record<string, number | string>> = {};
let pgPort = 0;
let redisPort = 0;
let redis: ChildProcess | null = null;
let stack: Stack;
let tmpfs = false;

const freePort = () => new Promise<number>((resolve) => {
  const s = net.createServer().listen(0, '127.0.0.1', () => {
    const p = (s.address() as net.AddressInfo).port;
    s.close(() => resolve(p));
  });
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const asPostgres = (cmd: string, args: string[]) => execFileSync('runuser', ['-u', 'postgres', '--', path.join(PG_BIN, cmd), ...args], { stdio: 'pipe' });
const pgCtl = (action: 'start' | 'stop', extra: string[] = []) =>
  asPostgres('pg_ctl', ['-D', pgData, '-w', '-t', '60', ...(action === 'start' ? ['-o', `-p ${pgPort} -k ${pgRun} -c listen_addresses=127.0.0.1`, '-l', path.join(pgRun, 'pg.log')] : []), ...extra, action]);

async function startRedis() {
  redis = spawn('redis-server', ['--port', String(redisPort), '--bind', '127.0.0.1', '--dir', root, '--appendonly', 'yes',
    '--appendfsync', 'always', '--save', '', '--maxmemory-policy', 'noeviction'], { stdio: 'ignore' });
  for (let i = 0; i < 100; i += 1) {
    const ok = await new Promise<boolean>((resolve) => {
      const c = net.connect(redisPort, '127.0.0.1', () => { c.end(); resolve(true); });
      c.on('error', () => resolve(false));
    });
    if (ok) return;
    await sleep(50);
  }
  throw new Error('redis did not start');
}

const people = () => {
  const dir = path.join(datasetsDir(), 'lfw-dev', 'images', 'Jiang_Zemin');
  return [1, 2, 3, 4, 7, 9, 10, 11, 13, 17, 18].map((n) => readFileSync(path.join(dir, `Jiang_Zemin_${String(n).padStart(4, '0')}.jpg`)));
};

beforeAll(async () => {
  [pgPort, redisPort] = [await freePort(), await freePort()];
  mkdirSync(pgData);
  mkdirSync(pgRun);
  chmodSync(root, 0o755);
  execFileSync('chown', ['postgres', pgData, pgRun]);
  asPostgres('initdb', ['-D', pgData, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  pgCtl('start');
  asPostgres('createdb', ['-h', '127.0.0.1', '-p', String(pgPort), 'zinda']);
  mkdirSync(dataDir);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48m', 'zinda-chaos', dataDir], { stdio: 'pipe' });
    tmpfs = true;
  } catch {
    tmpfs = false;
  }
  await startRedis();
  stack = await startStack({
    worker: true,
    env: {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${pgPort}/zinda`, REDIS_URL: `redis://127.0.0.1:${redisPort}`, DATA_DIR: dataDir,
      STALE_SUBMISSION_SECONDS: '5', JOB_LOCK_MS: '4000', JOB_BACKOFF_MS: '1000', JOB_ATTEMPTS: '8',
    },
  });
  await createConsentingSubject(stack.client, 'PN-FAULT');
  const page = await makeSyntheticPassportPage(people()[10]!);
  const res = await stack.client.multipart('/v1/subjects/PN-FAULT/enrollments', { selfie: people()[0]!, document: page });
  expect((await stack.client.waitForSubmission(res.body.submissionId, 120_000)).decision).toBe('verified');
});

afterAll(async () => {
  await stack?.stop().catch(() => undefined);
  redis?.kill('SIGKILL');
  try { pgCtl('stop', ['-m', 'immediate']); } catch { /* already down */ }
  if (tmpfs) execFileSync('umount', ['-l', dataDir]);
  rmSync(root, { recursive: true, force: true });
  writeFileSync('docs/chaos-faults.json', `${JSON.stringify(report, null, 2)}\n`);
});

/**
 * Sends one verification every `everyMs` while `fault` runs, then waits for every accepted one and checks the
 * invariants. Refusals must be 503 with Retry-After (or 429); anything else fails the run.
 */
async function underLoad(name: string, fault: () => Promise<{ downMs: number }>) {
  const photos = people();
  const accepted: string[] = [];
  const refusals: number[] = [];
  let sending = true;
  let k = 0;
  const sender = (async () => {
    while (sending) {
      const res = await stack.client.multipart('/v1/subjects/PN-FAULT/verifications', { selfie: photos[1 + (k++ % 9)]! }).catch(() => ({ status: 0, headers: new Headers(), body: null }));
      if (res.status === 202) accepted.push(res.body.submissionId);
      else {
        refusals.push(res.status);
        if (res.status === 503) expect(res.headers.get('retry-after')).toBeTruthy();
      }
      await sleep(400);
    }
  })();
  await sleep(1500);
  const { downMs } = await fault();
  const backAt = Date.now();
  await sleep(1500);
  sending = false;
  await sender;
  const terminal = await Promise.all(accepted.map((id) => stack.client.waitForSubmission(id, 180_000)));
  const doneAt = Date.now();
  const results = await stack.service.platform.db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM stored_items WHERE item_class = 'result' AND submission_id = ANY($1::uuid[]) GROUP BY submission_id`, [accepted]);
  const stuck = await stack.service.platform.db.query(`SELECT 1 FROM submissions WHERE status IN ('queued', 'processing')`);
  report[name] = {
    sent: accepted.length + refusals.length, accepted: accepted.length,
    refused503: refusals.filter((s) => s === 503).length, refusedOther: refusals.filter((s) => s !== 503).length,
    completed: terminal.filter((t) => t.status === 'completed').length, failed: terminal.filter((t) => t.status === 'failed').length,
    lost: accepted.length - terminal.length, duplicated: results.filter((r) => r.n > 1).length, stuck: stuck.length,
    downMs, allDoneAfterRecoveryMs: doneAt - backAt,
  };
  expect(refusals.filter((s) => s !== 503 && s !== 429)).toEqual([]);
  expect(results).toHaveLength(accepted.length);
  expect(report[name]!.duplicated).toBe(0);
  expect(stuck).toHaveLength(0);
  expect((await stack.client.json('GET', '/readyz')).status).toBe(200);
  return terminal;
}

describe('faults while verifications flow', () => {
  it('PostgreSQL restarted (fast shutdown, 4 s down): 503 meanwhile, then every submission completes once', async () => {
    const terminal = await underLoad('postgresRestart', async () => {
      const down = Date.now();
      pgCtl('stop', ['-m', 'fast']);
      await sleep(500);
      const ready = await stack.client.json('GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.checks.find((c: { name: string }) => c.name === 'database').ok).toBe(false);
      await sleep(3500);
      pgCtl('start');
      return { downMs: Date.now() - down };
    });
    expect(terminal.every((t) => t.status === 'completed')).toBe(true);
  });

  it('Redis paused (SIGSTOP) past every job lock: stalled jobs run again, results written once', async () => {
    await underLoad('redisPause', async () => {
      const down = Date.now();
      redis!.kill('SIGSTOP');
      await sleep(9000);
      redis!.kill('SIGCONT');
      return { downMs: Date.now() - down };
    });
  });

  it('blob store disk full: uploads refused with 503 and nothing half-stored; accepted again once space is back', async (ctx) => {
    if (!tmpfs) ctx.skip();
    const filler = path.join(dataDir, 'filler');
    await underLoad('diskFull', async () => {
      const down = Date.now();
      try { execFileSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=1M', 'count=64'], { stdio: 'pipe' }); } catch { /* full: that is the point */ }
      await sleep(500);
      const ready = await stack.client.json('GET', '/readyz');
      expect(ready.status).toBe(503);
      expect(ready.body.checks.find((c: { name: string }) => c.name === 'blobs').ok).toBe(false);
      await sleep(3000);
      rmSync(filler);
      return { downMs: Date.now() - down };
    });
    // Nothing of a refused upload stays behind: every stored image belongs to a recorded submission.
    const orphans = await stack.service.platform.db.query(`SELECT 1 FROM stored_items i LEFT JOIN submissions s ON s.id = i.submission_id WHERE i.submission_id IS NOT NULL AND s.id IS NULL`);
    expect(orphans).toHaveLength(0);
  });
});
