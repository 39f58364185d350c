/**
 * `scripts/eval-spoof.ts` (and `npm run eval -- --spoof <dir>`): passive presentation-attack detection on a spoof set (ISO/IEC 30107-3 APCER per attack species, BPCER):
 *
 *   npx tsx scripts/eval-spoof.ts --spoof ../shared/datasets/spoof [--out var/eval/spoof] [--figure docs/figures/pad-eval.png]
 *                                 [--write-calibration] [--framing 1.6] [--cache var/eval-spoof-cache]
 *
 * The set: real/ and attack/ folders with a manifest.json giving label, attack_type and subject per image (the layout
 * of ../shared/datasets/spoof). Every image goes through the production path (upload check, face engine, PAD nets,
 * image cues); features are cached per image. --write-calibration rewrites src/domain/liveness/pad-calibration.ts
 * with the model fitted on the whole set and the thresholds read off the subject-disjoint scores.
 *
 * The last stdout line is `apcer=… bpcer=… apcer_print=… …` at the decision's operating point.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config/env.js';
import { BASE_PAD_FEATURES, PAD_FEATURES } from '../domain/liveness/passive-pad.js';
import { createEngine } from '../engine/create-engine.js';
import { createHumanPadModel, DEFAULT_PAD_FRAMING } from '../engine/pad/human-pad.model.js';
import { imageKey, measureFace, PadFeatureCache, withSignals, type PadFeatures } from './pad-features.js';
import { padFigurePng } from './pad-figure.js';
import { evaluatePad, spoofSummaryLine, type SpoofEvalSettings, type SpoofReport } from './run-spoof-eval.js';
import { loadSpoofSet, type SpoofSample } from './spoof-set.js';
import { calibrationSource } from './calibration-file.js';

const OPTIONS = {
  spoof: { type: 'string' },
  out: { type: 'string', default: 'var/eval/spoof' },
  figure: { type: 'string' },
  cache: { type: 'string', default: 'var/eval-spoof-cache' },
  framing: { type: 'string' },
  'write-calibration': { type: 'boolean', default: false },
  features: { type: 'string', default: 'all' },
} as const;

/** Runs the evaluation for the given arguments (without the node/script prefix); resolves to the exit code. */
export async function runSpoofEvalCli(argv: readonly string[]): Promise<number> {
  const { values: args } = parseArgs({ args: [...argv], options: OPTIONS, strict: true });
  const spoofDir = args.spoof;
  if (!spoofDir || (args.features !== 'all' && args.features !== 'base')) {
    console.error('usage: eval-spoof --spoof <dir> [--out <dir>] [--figure <png>] [--write-calibration] [--features all|base] [--framing 1.6]');
    return 2;
  }
  const config = loadConfig();
  const framing = args.framing ? Number(args.framing) : DEFAULT_PAD_FRAMING;
  const set = loadSpoofSet(spoofDir);
  const { features, engineLabel } = await measureSet(config, spoofDir, set, framing, args.cache);

  const settings: SpoofEvalSettings = { passBpcer: 0.05, attackBpcer: 0.01, l2: 1, features: args.features === 'base' ? BASE_PAD_FEATURES : PAD_FEATURES };
  const setName = path.basename(path.resolve(spoofDir));
  const provenance = `fitted by scripts/eval-spoof.ts on ${setName} (${set.length} images, ${new Set(set.map((s) => s.subject)).size} subjects), `
    + `${engineLabel}, PAD framing ${framing}; thresholds at leave-one-subject-out BPCER `
    + `${settings.passBpcer} (pass) and ${settings.attackBpcer} (attack), features ${args.features}`;
  const report = evaluatePad(set, features, settings, provenance);
  await writeOutputs(report, setName, args.out, args.figure);
  if (args['write-calibration']) {
    await writeFile('src/domain/liveness/pad-calibration.ts', calibrationSource(report.calibration));
    console.log('wrote src/domain/liveness/pad-calibration.ts');
  }
  printReport(report);
  return 0;
}

/** Detection and the PAD nets per image (cached), then the image cues. */
async function measureSet(config: Config, dir: string, set: readonly SpoofSample[], framing: number, cacheDir: string) {
  const engine = await createEngine({ backend: config.ENGINE_BACKEND, detector: config.ENGINE_DETECTOR, minDetectionScore: config.ENGINE_MIN_DETECTION_SCORE });
  const pad = await createHumanPadModel({ backend: config.ENGINE_BACKEND, framing });
  const engineLabel = `${engine.info.name} ${engine.info.version} ${engine.info.detector}`;
  try {
    const identity = `${engine.info.name}-${engine.info.version}-${engine.info.detector}:${pad.info.source}:${framing}:${config.IMAGE_MAX_SIDE}`;
    const cache = await PadFeatureCache.open(cacheDir, identity);
    const limits = { maxPixels: config.UPLOAD_MAX_PIXELS, maxSide: config.IMAGE_MAX_SIDE };
    const features: PadFeatures[] = [];
    let measured = 0;
    for (const sample of set) {
      const key = imageKey(dir, sample);
      let m = cache.get(key);
      if (!m) {
        m = await measureFace(dir, sample, { engine, pad, limits });
        await cache.put(key, m);
        if (++measured % 50 === 0) console.error(`measured ${measured} images`);
      }
      features.push(await withSignals(dir, sample, { ...m, file: sample.file }, limits));
    }
    return { features, engineLabel };
  } finally {
    await pad.dispose();
    await engine.dispose();
  }
}

async function writeOutputs(report: SpoofReport, setName: string, out: string, figurePath: string | undefined): Promise<void> {
  await mkdir(out, { recursive: true });
  const { samples: _a, ...antispoof } = report.antispoof;
  const { samples: _c, ...combined } = report.combined;
  await writeFile(path.join(out, 'report.json'), JSON.stringify({ ...report, antispoof, combined }, null, 2));
  const figure = await padFigurePng(
    `PAD on ${setName}: combined score, leave-one-subject-out (${report.counts.bona} bona fide, ${report.counts.attack} attacks)`,
    report.combined.samples,
    [{ label: 'pass', threshold: report.combined.pass.threshold }, { label: 'attack', threshold: report.combined.attack.threshold }],
  );
  await writeFile(path.join(out, 'pad-eval.png'), figure);
  if (figurePath) {
    await mkdir(path.dirname(figurePath), { recursive: true });
    await writeFile(figurePath, figure);
  }
}

function printReport(report: SpoofReport): void {
  const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
  for (const s of [report.antispoof, report.combined]) {
    const types = Object.entries(s.pass.apcerByType).map(([t, e]) => `${t} ${e.accepted}/${e.count}`).join(', ');
    console.log(`${s.name}: AUC ${s.auc.toFixed(3)}, EER ${pct(s.eer)}, at threshold ${s.pass.threshold.toFixed(4)}: BPCER ${pct(s.pass.bpcer)}, `
      + `APCER ${pct(s.pass.apcer)} (${types}); APCER counting undetected attacks as refused ${pct(s.apcerWithFta)}; `
      + `print APCER 5 % costs BPCER ${pct(s.bpcerAtPrintApcer5)}`);
  }
  console.log(`no face found: ${report.counts.ftaBona} bona fide, ${report.counts.ftaAttack} attacks; ${Math.round(report.msPerImage)} ms per image`);
  console.log(spoofSummaryLine(report));
}
