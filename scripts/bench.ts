/**
 * `npm run bench`: prints, as Markdown tables, (1) the stages on one core of the engine a worker runs (ENGINE_MODEL:
 * decode, detect, embed, compare) over the sample faces and a fixed subset of the shared identity photos, (2) its
 * FLOPs per image and GFLOP/s next to a plain tf.matMul on the same backend, and (3) queue + worker throughput through the real API and W worker processes on a throw-away database;
 * `--only ingest` measures the API's upload ingestion instead (scripts/bench/ingest.ts; not part of the default run). Progress goes to
 * stderr, the report to stdout. Exits non-zero on any failure; worker processes, the database and the queue's
 * Redis keys are removed on every exit path, Ctrl-C included. `npm run bench -- --help` lists the options.
 */
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config/env.js';
import { initBackend } from '../src/engine/backend.js';
import { createEngine } from '../src/engine/create-engine.js';
import { datasetsDir } from '../test/support/datasets.js';
import { parseBenchArgs, USAGE, type BenchArgs } from './bench/args.js';
import { runScript, type Cleanup } from './bench/cleanup.js';
import { perImageTable, stageTable } from './bench/engine-report.js';
import { benchEngineStages, type ImageStages } from './bench/engine-stages.js';
import { computeReport } from './bench/compute-report.js';
import { withEmbedSplit } from './bench/embed-split.js';
import { contentionNote } from './bench/cpu.js';
import { compareBackends } from './bench/compare-backends.js';
import { benchIngest } from './bench/ingest.js';
import { benchDocumentPages, documentPages, documentTable } from './bench/document-pages.js';
import { identitySubset, sampleFaces, singleFaceSamples, type ImageSet } from './bench/images.js';
import { describeMachine, machineMarkdown } from './bench/machine.js';
import { jobTable, outcomeLine, overheadTable, runProblems, startupTable, throughputTable } from './bench/queue-report.js';
import { benchQueue, pollWindow, PROBE_POLL_MS, RATE_LIMIT_PER_MIN, UPLOAD_CONCURRENCY, WARMUP_PER_WORKER } from './bench/queue-throughput.js';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENROL_PHOTO = path.join(REPO_ROOT, 'samples', 'faces', 'sample1-face1.jpg');

const log = (message: string) => process.stderr.write(`[bench] ${message}\n`);
const print = (...blocks: string[]) => process.stdout.write(`${blocks.join('\n\n')}\n\n`);

async function run(args: BenchArgs, cleanup: Cleanup): Promise<string[]> {
  if (args.only === 'ingest') {
    print(`# Zinda benchmark${args.quick ? ' (--quick smoke run)' : ''}`);
    return benchIngest(args, cleanup, log, print);
  }
  // Engine and upload settings exactly as a product process would read them from the environment.
  const config = loadConfig();
  if (args.compareBackends) {
    const sets: ImageSet[] = [sampleFaces(REPO_ROOT)];
    const identities = identitySubset(args.quick ? 3 : undefined);
    if (identities) sets.push(identities);
    print(`# Zinda benchmark: backends${args.quick ? ' (--quick smoke run)' : ''}`);
    await compareBackends(config, sets, args, log, print);
    return [];
  }
  log(`loading the face engine (${config.ENGINE_MODEL}, ${config.ENGINE_BACKEND})...`);
  // The pipeline a worker runs (src/bootstrap/roles.ts startWorker): ENGINE_MODEL, not the library default.
  const split = await withEmbedSplit(await createEngine({
    backend: config.ENGINE_BACKEND, detector: config.ENGINE_DETECTOR, minDetectionScore: config.ENGINE_MIN_DETECTION_SCORE,
    model: config.ENGINE_MODEL,
  }), config.ENGINE_MODEL, config.ENGINE_BACKEND);
  const { engine } = split;
  const disposeEngine = cleanup.add('dispose the face engine', () => split.dispose());
  const sets: ImageSet[] = [sampleFaces(REPO_ROOT)];
  const identities = identitySubset(args.quick ? 3 : undefined);
  if (identities) sets.push(identities);
  else log(`${datasetsDir()} not found: the stage benchmark runs on samples/faces only`);

  print(
    `# Zinda benchmark${args.quick ? ' (--quick smoke run)' : ''}`,
    machineMarkdown(describeMachine(engine.info, [
      ['settings', `model ${config.ENGINE_MODEL} (ENGINE_MODEL)${engine.info.name === 'face-api' ? `, detector ${config.ENGINE_DETECTOR}` : ''}, min detection score ${config.ENGINE_MIN_DETECTION_SCORE}, ` +
        `images stored at ≤ ${config.IMAGE_MAX_SIDE} px, worker concurrency ${config.WORKER_CONCURRENCY}, ` +
        'one inference process per worker (WORKER_PROCESSES=1)'],
      ['run', `stages: ${args.warmups} warm-up + ${args.reps} recorded pass(es) per image; ` +
        `queue: ${args.n} submissions × workers ${args.workers.join(', ')}, ${args.probe} idle-queue probes; selfies ${args.selfies}`],
      ['shared datasets', identities ? datasetsDir() : 'absent'],
    ])),
  );

  const allResults: ImageStages[] = [];
  if (args.only !== 'queue') {
    print(`## 1. Engine stages on one core: ${engine.info.model}`,
      'Per image, in one process: libvips limited to 1 thread, tfjs single-threaded. `normalize` runs in the API at upload; ' +
      'the rest is what a worker does per selfie. Warm-up passes excluded; all images interleaved in every pass.');
    for (const set of sets) {
      log(`engine stages: ${set.title} (${set.images.length} images)...`);
      const limits = { maxPixels: config.UPLOAD_MAX_PIXELS, maxSide: config.IMAGE_MAX_SIDE };
      const { results, cpu } = await benchEngineStages(engine, set, { warmups: args.warmups, reps: args.reps, limits });
      print(`### ${set.title}: ${set.images.length} images × ${args.reps} recorded pass(es)`, stageTable(results, engine.info),
        contentionNote(cpu, 'this benchmark'), 'Medians per image:', perImageTable(results));
      allResults.push(...results);
    }
    log('passport pages through the document path...');
    const pages = await documentPages(REPO_ROOT, args.quick ? 2 : undefined);
    const pageLimits = { maxPixels: config.UPLOAD_MAX_PIXELS, maxSide: config.IMAGE_MAX_SIDE };
    const paged = await benchDocumentPages(engine, pages, { warmups: args.warmups, reps: args.reps, limits: pageLimits });
    print(`### Passport page photos: ${pages.length} pages × ${args.reps} recorded pass(es)`,
      'What a worker does with an enrolment\'s document photo (`analyseDocument`): decode, find the printed portrait on the page ' +
      '(grey-copy fallback when none is seen), re-detect and embed it on an enlarged crop. MRZ reading (OCR) is not included.',
      documentTable(paged.results), contentionNote(paged.cpu, 'this benchmark'));
    log('counting FLOPs and timing the reference matrix multiply...');
    const { tf } = await initBackend({ backend: config.ENGINE_BACKEND });
    print(`## 2. FLOPs and GFLOP/s against a plain matrix multiply (${engine.info.backend})`,
      ...(await computeReport(split, tf, allResults, { maxPixels: config.UPLOAD_MAX_PIXELS, maxSide: config.IMAGE_MAX_SIDE })));
  }
  await disposeEngine();
  if (args.only === 'engine') return [];

  const pollMs = args.pollMs;
  const selfies = args.selfies === 'identities' ? identitySubset()?.images : singleFaceSamples(REPO_ROOT);
  if (!selfies) throw new Error(`--selfies identities needs the shared datasets (${datasetsDir()})`);
  const runs = await benchQueue({
    n: args.n, workerCounts: args.workers, workerConcurrency: config.WORKER_CONCURRENCY, probe: args.probe,
    selfies, enrolPhoto: ENROL_PHOTO, pollMs, repoRoot: REPO_ROOT, cleanup, log,
  });
  print('## 3. Queue + worker throughput',
    `API in the benchmark process (uploads ${UPLOAD_CONCURRENCY} at a time), W worker processes (\`node --import tsx src/main.ts worker\`), ` +
    `PostgreSQL and Redis on this machine. Each worker count: ${WARMUP_PER_WORKER} warm-up submissions per worker (excluded), then a burst of ` +
    `${args.n} verifications of one enrolled subject (${args.selfies} selfies in turn), then ${args.probe} sent one at a time on the idle queue. ` +
    `API rate limits raised to ${RATE_LIMIT_PER_MIN}/min for the dense status polling. ` +
    'Wall time: first POST sent → last result readable via GET /v1/submissions/:id. Per-job times from the submissions table.',
    '### Throughput', throughputTable(runs, os.availableParallelism()),
    runs.map((r) => `- ${r.workers} worker(s): ${contentionNote(
      { measured: r.cpu.workers + r.cpu.api, machine: r.cpu.machine, wallS: r.wallMs / 1000 }, 'workers + API')}`).join('\n'),
    '### Queue overhead per job (medians, ms)', overheadTable(runs),
    '### Worker start (ms): models verified, loaded and warmed', startupTable(runs));
  for (const r of runs) {
    print(`### Per-job timings, ${r.workers} worker process(es), burst of ${r.n}`,
      jobTable(r, pollMs, pollWindow(r.workers), PROBE_POLL_MS), outcomeLine(r));
  }
  return runs.flatMap(runProblems);
}

runScript({
  argv: process.argv.slice(2), usage: USAGE, repoRoot: REPO_ROOT, log, parse: parseBenchArgs,
  run: async (args, cleanup) => {
    const problems = await run(args, cleanup);
    for (const problem of problems) log(`FAILED: ${problem}`);
    return problems.length ? 1 : 0;
  },
}).then((code) => process.exit(code));
