import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, exitOf, productEnv, startProcess } from '../support/processes.js';
import { createTestEnvironment, type TestEnvironment } from '../support/services.js';

// SIGTERM must end the process within SHUTDOWN_TIMEOUT_MS even when something hangs, and say what was still running.
// The hang here is a real one: a request waiting on a table another session has locked (a long migration, a stuck
// transaction), which also keeps its pooled connection, so closing the database waits too.
const BUDGET_MS = 3_000;
const MARGIN_MS = 2_500;

/** main.ts logs it once its signal handlers are in place; a SIGTERM before it ends the process at once. */
const RUNNING = 'SIGTERM or Ctrl-C stops it';

const logLines = (out: string) => out.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, any>);

/** Resolves once another session waits for the lock `locker` holds on `table`. */
async function waitForLockWaiter(locker: pg.Client, table: string): Promise<void> {
  for (let waited = 0; waited < 30_000; waited += 50) {
    const { rows } = await locker.query('SELECT count(*)::int AS n FROM pg_locks WHERE relation = $1::regclass AND NOT granted', [table]);
    if (rows[0].n > 0) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing waited on ${table}`);
}

describe('shutdown deadline', () => {
  let env: TestEnvironment;
  beforeAll(async () => { env = await createTestEnvironment(); });
  afterAll(async () => env?.cleanup());

  it('exits within its budget while a request hangs on the database, naming the request and the closer that hung', async () => {
    const procEnv = { ...productEnv(env.config), PORT: '0', SHUTDOWN_TIMEOUT_MS: String(BUDGET_MS) };
    const key = cli(procEnv, 'keys', 'create', '--role', 'operator');
    const proc = await startProcess('api', procEnv, RUNNING);
    const locker = new pg.Client({ connectionString: env.databaseUrl });
    await locker.connect();
    try {
      const port = Number(/"port":(\d+)/.exec(proc.output())![1]);
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE campaigns IN ACCESS EXCLUSIVE MODE');
      const hanging = fetch(`http://127.0.0.1:${port}/v1/campaigns`, { headers: { authorization: `Bearer ${key}` } }).catch(() => 'cut off');
      await waitForLockWaiter(locker, 'campaigns');

      const signalled = Date.now();
      proc.kill('SIGTERM');
      const code = await exitOf(proc);
      const took = Date.now() - signalled;
      expect(code).toBe(1);
      expect(took).toBeLessThan(BUDGET_MS + MARGIN_MS);
      expect(await hanging).toBe('cut off');

      const lines = logLines(proc.output());
      expect(lines.find((l) => l.msg === 'requests still open after the drain time: cutting them off')).toMatchObject({
        openRequests: { 'GET /v1/campaigns': 1 },
      });
      expect(lines.find((l) => l.msg === 'shutdown did not finish: exiting with work still running')).toMatchObject({
        level: 50, reason: 'deadline passed', deadlineMs: BUDGET_MS, closing: 'database and queues', notClosed: ['database and queues', 'local redis'],
        running: { requests: { open: {}, cutOff: { 'GET /v1/campaigns': 1 } }, activeJobs: null },
      });
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
  });

  it('exits within its budget while a job hangs, naming the job', async () => {
    const procEnv = { ...productEnv(env.config), SHUTDOWN_TIMEOUT_MS: String(BUDGET_MS), RETENTION_SWEEP_SECONDS: '1' };
    const proc = await startProcess('worker', procEnv, RUNNING);
    const locker = new pg.Client({ connectionString: env.databaseUrl });
    await locker.connect();
    try {
      // The retention sweep, due every second, runs into the lock and waits there: a job that does not finish.
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE stored_items IN ACCESS EXCLUSIVE MODE');
      await waitForLockWaiter(locker, 'stored_items');

      const signalled = Date.now();
      proc.kill('SIGTERM');
      const code = await exitOf(proc);
      expect(code).toBe(1);
      expect(Date.now() - signalled).toBeLessThan(BUDGET_MS + MARGIN_MS);
      expect(logLines(proc.output()).find((l) => l.msg === 'shutdown did not finish: exiting with work still running')).toMatchObject({
        closing: 'job workers', notClosed: ['job workers', 'database and queues', 'local redis'],
        running: { requests: null, activeJobs: { RetentionSweep: 1 } },
      });
    } finally {
      await locker.query('ROLLBACK').catch(() => undefined);
      await locker.end();
      if (proc.exitCode === null) proc.kill('SIGKILL');
    }
  });

  it('exits 0 promptly when nothing hangs', async () => {
    const procEnv = { ...productEnv(env.config), PORT: '0', SHUTDOWN_TIMEOUT_MS: String(BUDGET_MS) };
    const proc = await startProcess('api', procEnv, RUNNING);
    const signalled = Date.now();
    proc.kill('SIGTERM');
    expect(await exitOf(proc)).toBe(0);
    expect(Date.now() - signalled).toBeLessThan(BUDGET_MS);
    expect(logLines(proc.output()).at(-1)!.msg).toBe('stopped');
  });
});
