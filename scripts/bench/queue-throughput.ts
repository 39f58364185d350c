/**
 * Queue + worker throughput through the real product: the API in this process on a throw-away database and a
 * unique queue prefix, W worker processes, verification submissions of one enrolled subject.
 */
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { composeService, type Service } from '../../src/bootstrap/service.js';
import { startApi } from '../../src/bootstrap/roles.js';
import { createLogger } from '../../src/shared/logger.js';
import { ApiClient } from '../../test/support/api-client.js';
import { makeSyntheticPassportPage } from '../../test/support/passport-page.js';
import { createTestEnvironment } from '../../test/support/services.js';
import { createConsentingSubject } from '../../test/support/stack.js';
import type { Cleanup } from './cleanup.js';
import type { BenchImage } from './images.js';
import { ResultWatcher, type Readable } from './result-watcher.js';
import { machineBusySeconds, ownCpuSeconds, processTreeCpuSeconds } from './cpu.js';
import { assertWorkersAlive, startWorkers, type WorkerProcess, type WorkerStartup } from './worker-processes.js';

export interface QueueBenchOptions {
  /** Submissions per timed burst. */
  readonly n: number;
  /** Worker process counts to run, one burst each. */
  readonly workerCounts: readonly number[];
  /** Jobs each worker process runs at once (WORKER_CONCURRENCY). */
  readonly workerConcurrency: number;
  /** Submissions sent one at a time on an idle queue after each burst, for the queue's own latency. */
  readonly probe: number;
  /** Verification selfies, used in turn. */
  readonly selfies: readonly BenchImage[];
  /** The photo the subject is enrolled with (selfie, and portrait of a synthetic passport page). */
  readonly enrolPhoto: string;
  /** Interval between status polls during a burst (the probe polls every PROBE_POLL_MS). */
  readonly pollMs: number;
  readonly repoRoot: string;
  readonly cleanup: Cleanup;
  readonly log: (message: string) => void;
}

/** One submission as the database recorded it and as the client first saw it finished. */
export interface JobRecord {
  readonly id: string;
  readonly status: string;
  readonly decision: string | null;
  readonly attempts: number;
  readonly postAt: number;
  readonly createdAt: number;
  readonly startedAt: number | null;
  readonly completedAt: number | null;
  readonly readableAt: number;
  readonly timings: Record<string, number>;
}

export interface CpuSeconds {
  readonly workers: number;
  /** This process: API, its uploads (sharp), the status polling. */
  readonly api: number;
  /** Every process on the machine, PostgreSQL and Redis included. */
  readonly machine: number;
}

export interface QueueRun {
  readonly workers: number;
  readonly workerConcurrency: number;
  readonly n: number;
  /** First POST sent → last result readable. */
  readonly wallMs: number;
  /** First POST sent → last POST answered. */
  readonly submitMs: number;
  readonly jobs: readonly JobRecord[];
  readonly probe: readonly JobRecord[];
  readonly cpu: CpuSeconds;
  /** How each worker process of the run started (they start together, competing for the cores). */
  readonly startups: readonly WorkerStartup[];
}

const SUBJECT = 'BENCH-1';
/** Uploads in flight at once during a burst. */
export const UPLOAD_CONCURRENCY = 4;
/** Untimed submissions per worker before each burst (first real images run cold code paths). */
export const WARMUP_PER_WORKER = 2;
/** Poll interval while waiting for a single submission (enrolment, idle-queue probe). */
export const PROBE_POLL_MS = 5;
/** API rate limits in the benchmark's environment: high enough never to answer 429 to the polling. */
export const RATE_LIMIT_PER_MIN = 1_000_000;
/** How many of the oldest unfinished submissions each poll round reads. */
export const pollWindow = (workers: number) => 2 * workers + 4;

export async function benchQueue(options: QueueBenchOptions): Promise<QueueRun[]> {
  const { cleanup, log } = options;
  const suffix = randomBytes(4).toString('hex');
  const env = await createTestEnvironment({
    QUEUE_PREFIX: `zbench-${suffix}`, LOG_LEVEL: 'silent', WORKER_CONCURRENCY: String(options.workerConcurrency),
    // The status polling is far denser than a real client's; the limiter still runs (its Redis round trip is
    // part of every request's cost) but must not trip.
    RATE_LIMIT_PER_IP_PER_MIN: String(RATE_LIMIT_PER_MIN), RATE_LIMIT_PER_KEY_PER_MIN: String(RATE_LIMIT_PER_MIN),
    // The bench's selfies include other people (rejections are part of the load): the phone must not lock itself out.
    DEVICE_MAX_FAILURES: '1000000', LIVENESS_MAX_FAILURES: '1000000',
  });
  cleanup.add(`drop database ${new URL(env.databaseUrl).pathname.slice(1)} and data dir`, () => env.cleanup());
  const svc = await composeService(env.config, createLogger('silent'), env.config.redisUrl);
  cleanup.add('close database and Redis connections', () => svc.close());
  cleanup.add(`delete Redis keys ${env.config.QUEUE_PREFIX}:*`, () => deleteQueueKeys(svc, env.config.QUEUE_PREFIX));
  const api = await startApi(svc);
  cleanup.add('stop the API', () => api.close());
  const client = new ApiClient(api.url, (await svc.access.apiKeys.create('mobile-client', 'benchmark')).key);
  log(`queue bench: database ${env.databaseUrl}, queue prefix ${env.config.QUEUE_PREFIX}, API ${api.url}`);

  // As in the field: the office registers the pensioner with their written consent and links the phone with an
  // activation code; the phone then acts for that pensioner only, with its device credential.
  const office = new ApiClient(api.url, (await svc.access.apiKeys.create('operator', 'benchmark office')).key);
  await createConsentingSubject(office, SUBJECT);
  const code = await office.json('POST', `/v1/subjects/${SUBJECT}/activation-codes`);
  expectStatus(code, 201, 'activation code');
  const activated = await client.json('POST', '/v1/device-credentials/activate', { code: code.body.code, label: 'benchmark phone' });
  expectStatus(activated, 201, 'phone activation');
  client.actAs(SUBJECT, activated.body.token as string);
  const selfies = await Promise.all(options.selfies.map((s) => readFile(s.path)));
  const runs: QueueRun[] = [];
  let enrolled = false;
  for (const count of options.workerCounts) {
    log(`queue bench: starting ${count} worker process(es)...`);
    const workers = await startWorkers(env.config, count, options.repoRoot, cleanup);
    try {
      if (!enrolled) {
        await enrol(client, options.enrolPhoto, workers);
        enrolled = true;
      }
      log(`queue bench: ${count} worker(s) ready; warming up with ${WARMUP_PER_WORKER * count} submissions`);
      await burst(client, selfies, WARMUP_PER_WORKER * count, options.pollMs, workers);
      log(`queue bench: burst of ${options.n} with ${count} worker(s)`);
      const cpuBefore = cpuNow(workers);
      const timed = await burst(client, selfies, options.n, options.pollMs, workers);
      const cpu = cpuSince(cpuBefore, cpuNow(workers));
      log(`queue bench: ${options.probe} sequential submissions on the idle queue`);
      const probe: Readable[] = [];
      for (let i = 0; i < options.probe; i += 1) {
        probe.push(...(await burst(client, [selfies[i % selfies.length]!], 1, PROBE_POLL_MS, workers)).readable);
      }
      runs.push({
        workers: count, workerConcurrency: env.config.WORKER_CONCURRENCY, n: options.n, wallMs: timed.wallMs, submitMs: timed.submitMs, cpu,
        jobs: await records(svc, timed.readable), probe: await records(svc, probe),
        startups: workers.flatMap((w) => (w.startup ? [w.startup] : [])),
      });
    } finally {
      await Promise.all(workers.map((w) => w.stop()));
    }
  }
  return runs;
}

/** Enrols the subject (selfie + synthetic passport page of the same photo); the verifications compare against it. */
async function enrol(client: ApiClient, photo: string, workers: readonly WorkerProcess[]): Promise<void> {
  const selfie = await readFile(photo);
  const document = await makeSyntheticPassportPage(photo);
  const res = await client.multipart(`/v1/subjects/${SUBJECT}/enrollments`, { selfie, document });
  expectStatus(res, 202, 'enrolment');
  const watcher = new ResultWatcher(client, 1, PROBE_POLL_MS);
  watcher.add(res.body.submissionId as string, Date.now());
  const [result] = await watcher.all(1, 120_000, () => assertWorkersAlive(workers));
  if (result?.body.status !== 'completed' || result.body.decision !== 'verified') {
    throw new Error(`enrolment did not verify: ${JSON.stringify({ status: result?.body.status, decision: result?.body.decision, reasons: result?.body.reasons })}`);
  }
}

/** Posts `count` verifications (UPLOAD_CONCURRENCY at a time) and waits until every result is readable. */
async function burst(client: ApiClient, selfies: readonly Buffer[], count: number, pollMs: number, workers: readonly WorkerProcess[]) {
  const watcher = new ResultWatcher(client, pollWindow(workers.length), pollMs);
  const start = performance.now();
  let next = 0;
  const post = async () => {
    while (next < count) {
      const i = next++;
      const postAt = Date.now();
      const res = await client.multipart(`/v1/subjects/${SUBJECT}/verifications`, { selfie: selfies[i % selfies.length]! });
      expectStatus(res, 202, `verification ${i}`);
      watcher.add(res.body.submissionId as string, postAt);
    }
  };
  const posting = Promise.all(Array.from({ length: Math.min(UPLOAD_CONCURRENCY, count) }, post)).then(() => performance.now() - start);
  const readable = watcher.all(count, 120_000 + count * 10_000, () => assertWorkersAlive(workers));
  const [submitMs, results] = await Promise.all([posting, readable]);
  return { submitMs, wallMs: performance.now() - start, readable: results };
}

interface Row {
  id: string;
  status: string;
  decision: string | null;
  attempts: number;
  created_at: Date;
  started_at: Date | null;
  completed_at: Date | null;
  timings: Record<string, number> | null;
}

async function records(svc: Service, seen: readonly Readable[]): Promise<JobRecord[]> {
  const rows = await svc.platform.db.query<Row>(
    `SELECT id, status, decision, attempts, created_at, started_at, completed_at, result->'timings' AS timings
       FROM submissions WHERE id = ANY($1)`,
    [seen.map((s) => s.id)],
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  return seen.map((s) => {
    const row = byId.get(s.id);
    if (!row) throw new Error(`submission ${s.id} missing from the database`);
    return {
      id: s.id, status: row.status, decision: row.decision, attempts: row.attempts, postAt: s.postAt, readableAt: s.at,
      createdAt: row.created_at.getTime(), startedAt: row.started_at?.getTime() ?? null, completedAt: row.completed_at?.getTime() ?? null,
      timings: row.timings ?? {},
    };
  });
}

function cpuNow(workers: readonly WorkerProcess[]): CpuSeconds {
  return {
    workers: workers.reduce((sum, w) => sum + processTreeCpuSeconds(w.pid), 0),
    api: ownCpuSeconds(),
    machine: machineBusySeconds(),
  };
}

function cpuSince(before: CpuSeconds, after: CpuSeconds): CpuSeconds {
  return { workers: after.workers - before.workers, api: after.api - before.api, machine: after.machine - before.machine };
}

function expectStatus(res: { status: number; body: unknown }, status: number, what: string): void {
  if (res.status !== status) throw new Error(`${what}: API answered ${res.status}, expected ${status}: ${JSON.stringify(res.body)}`);
}

/** Removes every key under this run's unique prefix (jobs are kept an hour after completion otherwise). */
export async function deleteQueueKeys(svc: Service, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [nextCursor, keys] = await svc.platform.redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    cursor = nextCursor;
    if (keys.length) await svc.platform.redis.del(...keys);
  } while (cursor !== '0');
}

