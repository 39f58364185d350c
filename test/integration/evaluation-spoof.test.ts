/**
 * `npm run eval -- --spoof <dir> --score-only` on a few real images of ../shared/datasets/spoof: the shipped PAD
 * calibration scores them through the worker's path (real engine and PAD nets) and nothing is refitted or written.
 * The subset is a manifest in a temporary folder whose images link to the shared ones (nothing is copied).
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { PAD_CALIBRATION } from '../../src/domain/liveness/pad-calibration.js';
import type { ShippedScoreReport } from '../../src/evaluation-spoof/score-shipped.js';
import { datasetsDir, describeIfDatasets } from '../support/datasets.js';

const FILES = [
  'real/silentface_image_T1.jpg', 'real/doubango_genuine.jpg', 'real/nuaa_client_0001_0001_00_00_01_0.jpg',
  'attack/silentface_image_F1.jpg', 'attack/silentface_image_F2.jpg', 'attack/inspireface_rgb_fake.jpg',
];

describeIfDatasets('npm run eval -- --spoof --score-only on real images (needs ../shared/datasets)', () => {
  let work: string;
  let run: SpawnSyncReturns<string>;
  let calibrationBefore: string;

  beforeAll(async () => {
    work = await mkdtemp(path.join(tmpdir(), 'zinda-spoof-'));
    const shared = path.join(datasetsDir(), 'spoof');
    const manifest = JSON.parse(await readFile(path.join(shared, 'manifest.json'), 'utf8')) as { images: { file: string }[] };
    const set = path.join(work, 'set');
    for (const dir of ['real', 'attack']) await mkdir(path.join(set, dir), { recursive: true });
    for (const file of FILES) await symlink(path.join(shared, file), path.join(set, file));
    await writeFile(path.join(set, 'manifest.json'), JSON.stringify({ images: manifest.images.filter((i) => FILES.includes(i.file)) }));
    calibrationBefore = await readFile('src/domain/liveness/pad-calibration.ts', 'utf8');
    run = spawnSync(process.execPath, [
      '--import', 'tsx', 'scripts/eval.ts', '--spoof', set, '--score-only', '--cache', path.join(work, 'cache'), '--out', path.join(work, 'out'),
    ], { encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' }, timeout: 110_000 });
  }, 120_000);
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('scores with the shipped thresholds and ends with apcer and bpcer there', async () => {
    expect(run.status, run.stderr.slice(-2000)).toBe(0);
    const last = run.stdout.trim().split('\n').at(-1)!;
    expect(last).toMatch(/^apcer=\d\.\d{4} bpcer=\d\.\d{4} /);
    expect(last).toContain(`threshold=${PAD_CALIBRATION.passScore.toFixed(4)} attack_threshold=${PAD_CALIBRATION.attackScore.toFixed(4)}`);
    expect(last).toContain('n_bona=3 n_attack=3');
    const report = JSON.parse(await readFile(path.join(work, 'out', 'score-only.json'), 'utf8')) as ShippedScoreReport;
    expect(report.calibration).toEqual({ provenance: PAD_CALIBRATION.provenance, passScore: PAD_CALIBRATION.passScore, attackScore: PAD_CALIBRATION.attackScore });
    expect(report.shipped.pass.bona + report.counts.ftaBona).toBe(3);
  });

  it('fits and writes nothing', async () => {
    expect(await readFile('src/domain/liveness/pad-calibration.ts', 'utf8')).toBe(calibrationBefore);
    expect(run.stdout).not.toContain('wrote src/domain/liveness/pad-calibration.ts');
  });

  it('refuses --score-only with --write-calibration', () => {
    const refused = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/eval.ts', '--spoof', path.join(work, 'set'), '--score-only', '--write-calibration'], {
      encoding: 'utf8', env: { ...process.env, LOG_LEVEL: 'silent' }, timeout: 60_000,
    });
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain('--score-only');
  });
});
