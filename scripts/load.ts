/**
 * `npm run load`: a long open-loop run against the real product (issue 11 "Load", issue 9 "latency under load").
 * Starts a private redis-server, a throw-away PostgreSQL database, one API process and W worker processes
 * (`src/main.ts api|worker`), enrols a few people from ../shared/datasets/identities, measures capacity with a
 * short burst, then sends verifications on a fixed timetable (--rate, default 70 % of that capacity) for
 * --duration seconds, with each subject's other photos in turn. Per interval it records sent / accepted / errors,
 * p50/p95 from upload accepted to result readable, API and worker RSS, Redis used_memory and the queue. Prints a
 * Markdown table and a last line of key=value pairs; exits 1 if any verification errored. Everything it started
 * is stopped and removed on every exit path, Ctrl-C included.
 */
import { randomBytes } from 'node:crypto';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { composeService } from '../src/bootstrap/service.js';
import { createLogger } from '../src/shared/logger.js';
import { ApiClient } from '../test/support/api-client.js';
import { datasetsAvailable, datasetsDir } from '../test/support/datasets.js';
import { productEnv } from '../test/support/processes.js';
import { createTestEnvironment } from '../test/support/services.js';
import { runScript, type Cleanup } from './bench/cleanup.js';
import { describeMachine, machineMarkdown } from './bench/machine.js';
import { deleteQueueKeys, RATE_LIMIT_PER_MIN } from './bench/queue-throughput.js';
import { assertWorkersAlive, startProductProcess, startWorkers } from './bench/worker-processes.js';
import { parseLoadArgs, USAGE, type LoadArgs } from './load/args.js';
import { measureCapacity } from './load/capacity.js';
import { OpenLoop } from './load/open-loop.js';
import { startPrivateRedis, freePort } from './load/private-redis.js';
import { intervals, intervalTable, summaryLine } from './load/report.js';
import { sampleResources, type ResourceSample } from './load/sampler.js';
import { enrolSubjects } from './load/subjects.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const log = (message: string) => process.stderr.write(`[load] ${new Date().toISOString().slice(11, 19)} ${message}\n`);
const print = (...blocks: string[]) => process.stdout.write(`${blocks.join('\n\n')}\n\n`);

async function run(args: LoadArgs, cleanup: Cleanup): Promise<number> {
  if (!datasetsAvailable()) throw new Error(`the load run needs real photos from ${datasetsDir()}`);
  const redis = await startPrivateRedis(cleanup);
  const env = await createTestEnvironment({
    REDIS_URL: redis.url, QUEUE_PREFIX: `zload-${randomBytes(4).toString('hex')}`, LOG_LEVEL: 'silent',
    // One client address sends everything here; in the field the limits are per phone and per key.
    RATE_LIMIT_PER_IP_PER_MIN: String(RATE_LIMIT_PER_MIN), RATE_LIMIT_PER_KEY_PER_MIN: String(RATE_LIMIT_PER_MIN),
  });
  cleanup.add(`drop database ${new URL(env.databaseUrl).pathname.slice(1)} and data dir`, () => env.cleanup());
  const svc = await composeService(env.config, createLogger('silent'), env.config.redisUrl);
  cleanup.add('close database and Redis connections', () => svc.close());
  cleanup.add(`delete Redis keys ${env.config.QUEUE_PREFIX}:*`, () => deleteQueueKeys(svc, env.config.QUEUE_PREFIX));
  const key = (await svc.access.apiKeys.create('mobile-client', 'load run')).key;

  const port = await freePort();
  // The workers log RSS and live tensors ('worker stats') often enough for every report row to read a fresh line.
  process.env['WORKER_STATS_SECONDS'] = String(Math.max(1, Math.min(30, Math.floor(args.intervalS / 2))));
  log(`starting the API on port ${port} and ${args.workers} worker process(es)...`);
  const [api, workers] = await Promise.all([
    startProductProcess({
      role: 'api', name: 'API', readyLine: 'API listening', repoRoot: REPO_ROOT, cleanup,
      env: productEnv(env.config, { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' }),
    }),
    startWorkers(env.config, args.workers, REPO_ROOT, cleanup),
  ]);
  const check = () => assertWorkersAlive([api, ...workers]);
  const client = new ApiClient(`http://127.0.0.1:${port}`, key);

  const subjects = await enrolSubjects(client, args.subjects, log, check);
  const photos = subjects.reduce((n, s) => n + s.photos.length, 0);
  let rate = args.rate;
  let capacityNote = 'not measured (--rate given)';
  if (rate === null) {
    log('measuring capacity: warm-up, then a burst...');
    await measureCapacity(client, subjects, 2 * args.workers, args.workers, check);
    const capacity = await measureCapacity(client, subjects, 12 * args.workers, args.workers, check);
    rate = args.load * capacity.perS;
    capacityNote = `${capacity.perS.toFixed(2)} verifications/s (closed-loop burst of ${capacity.n}, ${capacity.spanS.toFixed(1)} s first → last result)`;
    log(`capacity ${capacity.perS.toFixed(2)}/s → sending at ${rate.toFixed(2)}/s`);
  }

  const processes = { api: api.pid, workers };
  const samples: ResourceSample[] = [];
  const baseline = await sampleResources(svc.platform.redis, env.config.QUEUE_PREFIX, processes, 0);
  const [load1] = os.loadavg();
  const loop = new OpenLoop(client, subjects);
  log(`open loop: ${rate.toFixed(2)}/s for ${args.durationS} s over ${subjects.length} subjects (${photos} photos)`);
  const running = loop.run(rate, args.durationS * 1000, check);
  let stopped = false;
  // One sample at the end of every interval, on the open loop's clock.
  const sampling = (async () => {
    for (let k = 1; k <= Math.ceil(args.durationS / args.intervalS) && !stopped; k += 1) {
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, k * args.intervalS * 1000 - loop.now())));
      if (stopped) break;
      const s = await sampleResources(svc.platform.redis, env.config.QUEUE_PREFIX, processes, loop.now() / 1000);
      samples.push(s);
      log(`${k * args.intervalS} s: sent ${loop.sent.length}, errors ${loop.sent.filter((x) => x.error).length}, ` +
        `queued ${s.queued}, API RSS ${s.apiRssMb.toFixed(0)} MB, worker RSS ${s.workerRssMb.map((v) => v.toFixed(0)).join('/')} MB, Redis ${s.redisUsedMb.toFixed(1)} MB`);
    }
  })();
  try {
    await running;
  } finally {
    if (loop.now() < args.durationS * 1000 - 1) stopped = true;
    await sampling;
  }
  const [, , load15] = os.loadavg();
  const rows = intervals(loop.sent, samples, args.intervalS, args.durationS);
  const errors = loop.sent.filter((s) => s.error);
  const errorKinds = new Map<string, number>();
  for (const e of errors) errorKinds.set(e.error!, (errorKinds.get(e.error!) ?? 0) + 1);
  const decisions = new Map<string, number>();
  for (const s of loop.sent) if (s.decision) decisions.set(s.decision, (decisions.get(s.decision) ?? 0) + 1);

  print(
    `# Zinda load run: ${args.durationS} s open loop at ${rate.toFixed(2)} verifications/s`,
    machineMarkdown(describeMachine(null, [
      ['engine', `ENGINE_MODEL ${env.config.ENGINE_MODEL}, ENGINE_BACKEND ${env.config.ENGINE_BACKEND} (in the worker processes)`],
      ['processes', `1 API + ${args.workers} worker process(es) (\`src/main.ts api|worker\`, WORKER_CONCURRENCY ${env.config.WORKER_CONCURRENCY}), ` +
        'PostgreSQL (throw-away database), private redis-server (AOF, noeviction)'],
      ['capacity', capacityNote],
      ['rate', `${rate.toFixed(2)}/s (${args.rate === null ? `${Math.round(args.load * 100)} % of capacity` : 'given'}), ` +
        `${subjects.length} subjects, ${photos} verification photos in turn (re-sent photos are flagged as replays; decisions do not matter here)`],
      ['load average', `${load1?.toFixed(2)} (1 min) at the open-loop start, ${load15?.toFixed(2)} (15 min) at its end`],
      ['Redis before the open loop', `${baseline.redisUsedMb.toFixed(1)} MB used, ${baseline.redisKeys} keys, ${baseline.delayed} delayed jobs`],
    ])),
    intervalTable(rows, args.intervalS),
    `Decisions: ${[...decisions].map(([d, n]) => `${d} ${n}`).join(', ') || 'none'}. ` +
      `Errors: ${errors.length ? [...errorKinds].map(([e, n]) => `${e} × ${n}`).join('; ') : 'none'}.`,
  );
  process.stdout.write(`${summaryLine({
    duration_s: args.durationS, rate_per_s: rate.toFixed(2), workers: args.workers, subjects: subjects.length,
    redis_used_start_mb: baseline.redisUsedMb.toFixed(1),
  }, loop.sent, rows)}\n`);
  return errors.length ? 1 : 0;
}

runScript({ argv: process.argv.slice(2), usage: USAGE, repoRoot: REPO_ROOT, log, parse: parseLoadArgs, run })
  .then((code) => process.exit(code));
