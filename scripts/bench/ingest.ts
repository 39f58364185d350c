/**
 * `npm run bench -- --only ingest`: the API's upload ingestion (issue 9 "API"), measured against a separate API
 * process (`node dist/src/main.js api` as the Docker image runs it, or `src/main.ts api` under tsx) on a throw-away
 * PostgreSQL database and a unique Redis prefix, with no worker: jobs wait in the queue and an upload counts once
 * its 202 is received. The route is the enrolment
 * (POST /v1/subjects/:id/enrollments, selfie + passport page): it runs the whole ingestion path (multipart parse,
 * normalizeUpload, encrypted blob writes, the submission's rows, enqueue) and needs only a registered, consenting
 * subject, while a verification would need a reference template that only a worker can make.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { composeService } from '../../src/bootstrap/service.js';
import { normalizeUpload, type ImageLimits } from '../../src/images/image-codec.js';
import { createLogger } from '../../src/shared/logger.js';
import { ApiClient } from '../../test/support/api-client.js';
import { datasetsAvailable, datasetsDir } from '../../test/support/datasets.js';
import { makeSyntheticPassportPage, SYNTHETIC_PAGE } from '../../test/support/passport-page.js';
import { productEnv } from '../../test/support/processes.js';
import { createTestEnvironment } from '../../test/support/services.js';
import { PASSPORT, createConsentingSubject } from '../../test/support/stack.js';
import { freePort } from '../load/private-redis.js';
import type { BenchArgs } from './args.js';
import type { Cleanup } from './cleanup.js';
import { identitySubset } from './images.js';
import { encodeForm, UploadClient, type EncodedForm } from './ingest-client.js';
import { buildUploads, LARGE_UPLOAD, MEDIUM_UPLOAD, type BuiltImage } from './ingest-images.js';
import {
  burstTable, countOutcomes, cpuLine, largestFormTable, normalizeTable, throughputTable, timeSplit, TARGETS, unexpected, type NormalizeTiming,
} from './ingest-report.js';
import { burst, closedLoop, type ClosedLoopRun, type UploadPlan } from './ingest-runs.js';
import { describeMachine, machineMarkdown } from './machine.js';
import { ownCpuSeconds } from './cpu.js';
import { deleteQueueKeys, RATE_LIMIT_PER_MIN } from './queue-throughput.js';
import { QUIET, waitForQuiet, type QuietResult } from './quiet.js';
import { summarise } from './stats.js';
import { startProductProcess } from './worker-processes.js';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** Simultaneous large uploads of the memory run (issue 9: 50 concurrent 8 MB uploads). */
const BURST = 50;
/**
 * 8 MB images built per run (the 2 MB set uses every photo of the subset). Distinct photos, though the API would
 * take identical bytes as well: without an Idempotency-Key it stores each upload, and replays are judged by the worker.
 */
const LARGE_PHOTOS = 5;
/** Registered subjects the uploads are spread over (16 clients at most by default: one each). */
const SUBJECTS = 16;
const WARMUP_MS = 3_000;

/** Runs the ingestion benchmark; prints its section; returns the problems found (non-empty: exit code 1). */
export async function benchIngest(args: BenchArgs, cleanup: Cleanup, log: (message: string) => void, print: (...blocks: string[]) => void): Promise<string[]> {
  const subset = identitySubset(args.quick ? 3 : undefined);
  // A --quick smoke run measures at once, whatever the load (the report then flags a busy machine).
  const quietOptions = args.quick ? { ...QUIET, maxWaitMs: 0 } : QUIET;
  if (!subset || !datasetsAvailable()) throw new Error(`the ingestion benchmark builds its uploads from real photos in ${datasetsDir()}`);

  const env = await createTestEnvironment({
    QUEUE_PREFIX: `zingest-${randomBytes(4).toString('hex')}`, LOG_LEVEL: 'silent',
    RATE_LIMIT_PER_IP_PER_MIN: String(RATE_LIMIT_PER_MIN), RATE_LIMIT_PER_KEY_PER_MIN: String(RATE_LIMIT_PER_MIN),
    // Product settings given with --api-env (e.g. UPLOAD_CONCURRENCY) then also show in the printed settings.
    ...args.apiEnv,
  });
  const { config } = env;
  cleanup.add(`drop database ${new URL(env.databaseUrl).pathname.slice(1)} and data dir`, () => env.cleanup());
  const svc = await composeService(config, createLogger('silent'), config.redisUrl);
  cleanup.add('close database and Redis connections', () => svc.close());
  cleanup.add(`delete Redis keys ${config.QUEUE_PREFIX}:*`, () => deleteQueueKeys(svc, config.QUEUE_PREFIX));
  const key = (await svc.access.apiKeys.create('mobile-client', 'ingestion benchmark')).key;

  if (args.apiRuntime === 'dist') {
    log('ingest: building dist/ (npm run build)...');
    try {
      execFileSync(process.execPath, [path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: REPO_ROOT, stdio: 'inherit' });
    } catch {
      // tsc still emits on type errors (e.g. someone's work in progress); the JavaScript is what runs.
      if (!existsSync(path.join(REPO_ROOT, 'dist', 'src', 'main.js'))) throw new Error('npm run build produced no dist/src/main.js');
      log('ingest: the build reported type errors (above); measuring the JavaScript it emitted');
    }
  }
  const port = await freePort();
  log(`ingest: starting the API (${args.apiRuntime}) on port ${port}, no worker...`);
  const api = await startProductProcess({
    role: 'api', name: 'API', readyLine: 'API listening', repoRoot: REPO_ROOT, cleanup, runtime: args.apiRuntime,
    // Upload settings (UPLOAD_CONCURRENCY, UPLOAD_MAX_BYTES, ...) are the product's defaults unless given with --api-env.
    env: productEnv(config, { PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', ...args.apiEnv }),
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const apiClient = new ApiClient(baseUrl, key);
  const subjectIds = Array.from({ length: SUBJECTS }, (_, i) => `INGEST-${i + 1}`);
  for (const [i, id] of subjectIds.entries()) await createConsentingSubject(apiClient, id, { ...PASSPORT, number: `G${String(2_000_000 + i)}` });

  log(`ingest: building uploads from ${subset.images.length} identity photos (grain until each is the target size)...`);
  const large = await buildUploads(subset.images.slice(0, LARGE_PHOTOS), LARGE_UPLOAD);
  const medium = await buildUploads(subset.images, MEDIUM_UPLOAD);
  // The passport page of each enrolment: a synthetic page (no third-party document) carrying a dataset face.
  const pages = await Promise.all(subset.images.map((image) => makeSyntheticPassportPage(image.path)));
  const forms = (selfies: readonly BuiltImage[]): EncodedForm[] =>
    selfies.map((selfie, i) => encodeForm({ selfie: selfie.bytes, document: pages[i % pages.length]! }));
  const client = new UploadClient(baseUrl, key);
  cleanup.add('close the upload client', () => client.close());
  const plan = (selfies: readonly BuiltImage[]): UploadPlan => ({
    client, forms: forms(selfies), path: (k) => `/v1/subjects/${subjectIds[k % subjectIds.length]}/enrollments`,
  });
  const largePlan = plan(large);
  const mediumPlan = plan(medium);
  const limits: ImageLimits = { maxPixels: config.UPLOAD_MAX_PIXELS, maxSide: config.IMAGE_MAX_SIDE };

  log('ingest: timing normalizeUpload alone in this process...');
  const normalize = [
    await timeNormalize(`selfie, ~${LARGE_UPLOAD.targetBytes / 1e6} MB`, large, limits),
    await timeNormalize(`selfie, ~${MEDIUM_UPLOAD.targetBytes / 1e6} MB`, medium, limits),
    await timeNormalize(`passport page (synthetic, ${SYNTHETIC_PAGE.width} x ${SYNTHETIC_PAGE.height})`,
      pages.map((bytes, i) => ({ name: `page ${i}`, bytes, width: SYNTHETIC_PAGE.width, height: SYNTHETIC_PAGE.height, grain: 0 })), limits),
  ];

  // A few uploads first: the first request runs cold code paths (sharp, the vault key, prepared statements).
  for (let k = 0; k < 4; k += 1) await mediumPlan.client.post(mediumPlan.path(k), mediumPlan.forms[k % mediumPlan.forms.length]!);
  const quietBurst = await waitForQuiet(log, quietOptions);
  log(`ingest: ${BURST} simultaneous uploads of ~8 MB (load ${quietBurst.load1.toFixed(2)})...`);
  const memoryRun = await burst(largePlan, api.pid, BURST);
  // The largest form a route takes: a verification with 12 challenge frames, every file just under the per-file
  // limit, one per upload slot at once. Refused (the subjects are not enrolled) only once the form has been read.
  const framesForm = encodeForm({ selfie: large[0]!.bytes, frames: Array.from({ length: 12 }, (_, i) => large[i % large.length]!.bytes) });
  log(`ingest: ${config.UPLOAD_CONCURRENCY} simultaneous verification forms of ${(framesForm.body.length / 1e6).toFixed(0)} MB (selfie + 12 frames)...`);
  const largestBoundMb = (config.UPLOAD_CONCURRENCY * (config.UPLOAD_MAX_BYTES + 12 * config.UPLOAD_FRAME_MAX_BYTES)) / 2 ** 20;
  const largestRun = await burst({ client, forms: [framesForm], path: (k) => `/v1/subjects/${subjectIds[k % subjectIds.length]}/verifications` },
    api.pid, config.UPLOAD_CONCURRENCY);

  const runs: (ClosedLoopRun & { quiet: QuietResult })[] = [];
  const durationMs = args.ingestSeconds * 1000;
  for (const clients of args.clients) {
    const quiet = await waitForQuiet(log, quietOptions);
    log(`ingest: ${clients} clients, closed loop of ~2 MB uploads for ${durationMs / 1000} s after ${WARMUP_MS / 1000} s warm-up (load ${quiet.load1.toFixed(2)})...`);
    runs.push({ ...(await closedLoop(mediumPlan, api.pid, clients, WARMUP_MS, durationMs)), quiet });
  }
  const queued = await svc.platform.db.query<{ n: string }>('SELECT count(*) AS n FROM submissions');

  const bodyMb = (p: UploadPlan) => p.forms.reduce((n, f) => n + f.body.length, 0) / p.forms.length / 1e6;
  const describe = (set: readonly BuiltImage[]) => set.map((b) => `${b.name} ${(b.bytes.length / 1e6).toFixed(2)} MB`).join('; ');
  print(
    '## API ingestion',
    machineMarkdown(describeMachine(null, [
      ['processes', `1 API process (${args.apiRuntime === 'dist' ? '`node dist/src/main.js api`, the compiled build the Docker image runs' : '`node --import tsx src/main.ts api`'}, LOG_LEVEL info) on a throw-away PostgreSQL database and the shared Redis (unique prefix); ` +
        'no worker (jobs wait in the queue); the upload client in the benchmark process (pre-encoded multipart bodies, keep-alive)'],
      ['upload settings', `UPLOAD_CONCURRENCY ${config.UPLOAD_CONCURRENCY} slots (10 s wait, then 503 UPLOADS_BUSY), ` +
        `UPLOAD_MAX_BYTES ${config.UPLOAD_MAX_BYTES} per file, UPLOAD_MAX_PIXELS ${config.UPLOAD_MAX_PIXELS}, IMAGE_MAX_SIDE ${config.IMAGE_MAX_SIDE}`],
      ['API environment added', Object.keys(args.apiEnv).length ? Object.entries(args.apiEnv).map(([k, v]) => `${k}=${v}`).join(' ') : 'none (--api-env)'],
      ['route', `POST /v1/subjects/:id/enrollments (selfie + passport page) over ${SUBJECTS} registered, consenting subjects`],
      ['8 MB selfies', describe(large)],
      ['2 MB selfies', describe(medium)],
      ['passport pages', `synthetic page per photo, ${(pages.reduce((n, p) => n + p.length, 0) / pages.length / 1e3).toFixed(0)} KB mean`],
      ['submissions stored', `${queued[0]?.n ?? '?'} (all waiting in the queue)`],
    ])),
    `### Memory: ${BURST} simultaneous uploads of an ~8 MB selfie`,
    burstTable(memoryRun, bodyMb(largePlan), config.UPLOAD_MAX_BYTES / 2 ** 20, quietBurst),
    cpuLine(memoryRun.cpu, memoryRun.wallMs),
    `### Memory: the largest form, ${config.UPLOAD_CONCURRENCY} at once (one per upload slot)`,
    `A verification with a selfie and 12 challenge frames, each file ~8 MB (under the per-file limit), ${(framesForm.body.length / 1e6).toFixed(0)} MB a request; ` +
      'the subjects are not enrolled, so the route would refuse the form only once it has been read. Expected: 413 IMAGE_TOO_LARGE ' +
      '(a frame may hold UPLOAD_FRAME_MAX_BYTES) at the first frame, and at most a request budget (UPLOAD_MAX_BYTES + 12 × that) held per upload slot.',
    largestFormTable(largestRun, framesForm.body.length / 1e6, largestBoundMb),
    '### Throughput: closed loop of ~2 MB selfies',
    `Each client sends its next upload when the previous one is answered; ${WARMUP_MS / 1000} s warm-up, then ${durationMs / 1000} s recorded ` +
      '(uploads in flight at the end are waited for and counted; accepted/s = 202s / (first sent → last answered)). ' +
      `Body ${bodyMb(mediumPlan).toFixed(2)} MB per upload (selfie + page).`,
    throughputTable(runs),
    runs.map((r) => `- ${r.clients} clients: ${cpuLine(r.cpu, r.wallMs)}`).join('\n'),
    '### Where the time goes: normalizeUpload alone, one call at a time in the benchmark process',
    normalizeTable(normalize),
    runs.map((r) => `- ${r.clients} clients: ${timeSplit(r, normalize[1]!.cpuMs + normalize[2]!.cpuMs)}`).join('\n'),
  );

  const problems: string[] = [];
  const peak = Math.max(memoryRun.memory.peakSampled, memoryRun.memory.after.hwm);
  if (peak >= TARGETS.burstRssMb) problems.push(`API peak RSS ${peak.toFixed(0)} MB during the burst (target < ${TARGETS.burstRssMb} MB)`);
  const largestAdded = Math.max(largestRun.memory.peakSampled, largestRun.memory.after.hwm) - largestRun.memory.before.rss;
  if (largestAdded > largestBoundMb) problems.push(`the largest forms added ${largestAdded.toFixed(0)} MB to the API's RSS (bound ${largestBoundMb.toFixed(0)} MB)`);
  const largestOther = [...countOutcomes(largestRun.outcomes)].filter(([k]) => k !== '413 IMAGE_TOO_LARGE' && k !== '503 UPLOADS_BUSY');
  if (largestOther.length) problems.push(`largest forms: answers other than 413 IMAGE_TOO_LARGE: ${largestOther.map(([k, n]) => `${k} × ${n}`).join(', ')}`);
  for (const [what, outcomes] of [['burst', memoryRun.outcomes], ...runs.map((r) => [`${r.clients} clients`, r.outcomes] as const)] as const) {
    const bad = unexpected(outcomes);
    if (bad.size) problems.push(`${what}: answers other than 202 / 503 UPLOADS_BUSY: ${[...bad].map(([k, n]) => `${k} × ${n}`).join(', ')}`);
  }
  if (api.failure) problems.push(api.failure.message);
  return problems;
}

/** normalizeUpload on each image in turn: one untimed pass, then `reps` timed passes. */
async function timeNormalize(set: string, images: readonly BuiltImage[], limits: ImageLimits, reps = 3): Promise<NormalizeTiming> {
  for (const image of images) await normalizeUpload(image.bytes, 'selfie', limits);
  const wall: number[] = [];
  const cpuBefore = ownCpuSeconds();
  for (let r = 0; r < reps; r += 1) {
    for (const image of images) {
      const start = performance.now();
      await normalizeUpload(image.bytes, 'selfie', limits);
      wall.push(performance.now() - start);
    }
  }
  const s = summarise(wall);
  const px = images.map((i) => i.width * i.height);
  return {
    set, images: images.length, meanMb: images.reduce((n, i) => n + i.bytes.length, 0) / images.length / 1e6,
    pixels: `${(px.reduce((m, v) => Math.min(m, v), Infinity) / 1e6).toFixed(1)}-${(px.reduce((m, v) => Math.max(m, v), 0) / 1e6).toFixed(1)} MP`,
    wall: { median: s.median, p95: s.p95 }, cpuMs: (1000 * (ownCpuSeconds() - cpuBefore)) / wall.length,
  };
}
