/**
 * `npm run eval` on a small real subset: LFW pairs and document specimens from ../shared/datasets, the chosen engine
 * (human-frnet) with its real models, a fresh embedding cache. Skipped, with a warning, when the datasets folder is absent. Kept small (about 30 images)
 * so that it runs in well under a minute on two cores.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EvaluationReport } from '../../src/evaluation/run-evaluation.js';
import { datasetsDir, describeIfDatasets } from '../support/datasets.js';

function runEval(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/eval.ts', ...args], {
    encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' }, timeout: 110_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describeIfDatasets('npm run eval on real images (needs ../shared/datasets)', () => {
  let work: string;
  let first: ReturnType<typeof runEval>;
  let report: EvaluationReport;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'zinda-eval-'));
    first = runEval([
      '--lfw', path.join(datasetsDir(), 'lfw-dev'), '--documents', path.join(datasetsDir(), 'documents'),
      '--limit', '10', '--engine', 'human-frnet', '--cache', path.join(work, 'cache'), '--out', path.join(work, 'out'),
    ]);
    if (first.status === 0) report = JSON.parse(await readFile(path.join(work, 'out', 'report.json'), 'utf8')) as EvaluationReport;
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('ends with one line of key=value numbers', () => {
    expect(first.status, first.stderr.slice(-2000)).toBe(0);
    const last = first.stdout.trim().split('\n').at(-1)!;
    expect(last).toMatch(/^accuracy=(\d\.\d{4}|na) tar_at_far_1e-3=(\d\.\d{4}|na) eer=(\d\.\d{4}|na) fte=\d\.\d{4} ms_per_image=\d+ engine=human-frnet set=lfw$/);
  });

  it('reports every set through the engine, with versions, dataset hashes and no leaked tensors', () => {
    expect(report.sections.map((s) => s.name)).toEqual(['lfw', 'documents']);
    const [lfw, documents] = report.sections;
    expect(report.engine.info).toMatchObject({ name: 'human', model: 'human-faceapi-frnet-5pt', embeddingSize: 128 });
    expect(report.engine.tensorsAfter).toBe(report.engine.tensorsBefore);
    expect(report.timing.imagesFromCache).toBe(0);
    expect(lfw!.pairs.total).toBe(10);
    expect(lfw!.kFold?.folds).toHaveLength(5);
    expect(lfw!.identityLeakage).toEqual([]);
    expect(lfw!.provenance['imagesSha256']).toMatch(/^[0-9a-f]{64}$/);
    expect(documents!.pairs.genuine).toBeGreaterThan(0);
    // Five impostor pairs cannot resolve FAR 1e-3: the report refuses the number instead of printing one.
    expect(lfw!.listedPairs.tarAtFar.find((t) => t.targetFar === 1e-3)).toMatchObject({ resolvable: false });
  });

  it('draws the figures as PNG files next to report.md', async () => {
    const files = await readdir(path.join(work, 'out'));
    expect(files).toEqual(expect.arrayContaining(['report.json', 'report.md', 'lfw-det.png', 'lfw-histogram.png']));
    const png = await readFile(path.join(work, 'out', 'lfw-det.png'));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(await readFile(path.join(work, 'out', 'report.md'), 'utf8')).toContain('![lfw-det.png](lfw-det.png)');
  });

  it('takes a second run from the embedding cache, with the same numbers', async () => {
    const second = runEval([
      '--lfw', path.join(datasetsDir(), 'lfw-dev'), '--documents', path.join(datasetsDir(), 'documents'),
      '--limit', '10', '--engine', 'human-frnet', '--cache', path.join(work, 'cache'), '--out', path.join(work, 'again'),
    ]);
    expect(second.status, second.stderr.slice(-2000)).toBe(0);
    const again = JSON.parse(await readFile(path.join(work, 'again', 'report.json'), 'utf8')) as EvaluationReport;
    expect(again.timing.imagesComputed).toBe(0);
    expect(again.sections).toEqual(report.sections);
    expect(second.stdout.trim().split('\n').at(-1)).toBe(first.stdout.trim().split('\n').at(-1));
  });
});
