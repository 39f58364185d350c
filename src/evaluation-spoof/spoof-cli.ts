/**
 * `scripts/eval-spoof.ts` (and `npm run eval -- --spoof <dir>`): passive presentation-attack detection on a spoof set
 * (ISO/IEC 30107-3 APCER per attack species, BPCER), with genuine photos from elsewhere in the fit and held out:
 *
 *   npx tsx scripts/eval-spoof.ts --spoof ../shared/datasets/spoof
 *        [--bona-fide ../shared/datasets/lfw-dev --bona-fide-limit 500]  (repeatable; fitted, scored leave-one-subject-out)
 *        [--holdout-bona-fide ../shared/datasets/identities]             (repeatable; never fitted, reported apart)
 *        [--features all|base] [--framing 1.6] [--out var/eval/spoof] [--figure docs/figures/pad-eval.png]
 *        [--write-calibration] [--cache var/eval-spoof-cache]
 *   npx tsx scripts/eval-spoof.ts --spoof <new attack set> --score-only [--bona-fide <dir> ...] [--out ...] [--figure ...]
 *
 * The spoof set: real/ and attack/ folders with a manifest.json giving label, attack_type and subject per image (the
 * layout of ../shared/datasets/spoof). Bona fide folders: `<dir>/<person>/<image>` or LFW's `<dir>/images/<person>/<image>`,
 * subject = person; --bona-fide-limit takes a deterministic subset spread across people (bona-fide-set.ts).
 * Every image goes through the production path (upload check, the worker's face engine: createEngine with
 * ENGINE_MODEL, PAD nets on the largest face, image cues); detections and nets' outputs are cached per image.
 * --write-calibration rewrites src/domain/liveness/pad-calibration.ts with the model fitted on the spoof set and the
 * --bona-fide folders, and the thresholds read off their subject-disjoint scores.
 *
 * --score-only scores the set with the shipped calibration (src/domain/liveness/pad-calibration.ts) and its
 * thresholds: nothing is fitted, every genuine folder is only scored (score-shipped.ts).
 *
 * The last stdout line is `apcer=… bpcer=… apcer_print=… … bpcer_holdout=… …` at the decision's operating point.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig, type Config } from '../config/env.js';
import { PAD_CALIBRATION } from '../domain/liveness/pad-calibration.js';
import { BASE_PAD_FEATURES, PAD_FEATURES } from '../domain/liveness/passive-pad.js';
import { createEngine } from '../engine/create-engine.js';
import type { PadScores } from '../engine/pad/pad-model.js';
import { createHumanPadModel, DEFAULT_PAD_FRAMING } from '../engine/pad/human-pad.model.js';
import { loadBonaFideFolder } from './bona-fide-set.js';
import { JsonLinesCache, measurePadFeatures, type Detection, type PadFeatures } from './pad-features.js';
import { padFigurePng } from './pad-figure.js';
import { evaluatePad, spoofSummaryLine, type SpoofEvalSettings, type SpoofReport } from './run-spoof-eval.js';
import { loadSpoofSet, type SpoofSample } from './spoof-set.js';
import { calibrationSource } from './calibration-file.js';
import { scoreOnlySummaryLine, scoreShippedPad, type ShippedScoreReport } from './score-shipped.js';

const OPTIONS = {
  spoof: { type: 'string' },
  'bona-fide': { type: 'string', multiple: true },
  'bona-fide-limit': { type: 'string' },
  'holdout-bona-fide': { type: 'string', multiple: true },
  out: { type: 'string', default: 'var/eval/spoof' },
  figure: { type: 'string' },
  cache: { type: 'string', default: 'var/eval-spoof-cache' },
  framing: { type: 'string' },
  'write-calibration': { type: 'boolean', default: false },
  'score-only': { type: 'boolean', default: false },
  features: { type: 'string', default: 'all' },
} as const;

const USAGE = 'usage: eval-spoof --spoof <dir> [--bona-fide <dir> ...] [--bona-fide-limit <n>] [--holdout-bona-fide <dir> ...] '
  + '[--out <dir>] [--figure <png>] [--write-calibration | --score-only] [--features all|base] [--framing 1.6]';

/** Runs the evaluation for the given arguments (without the node/script prefix); resolves to the exit code. */
export async function runSpoofEvalCli(argv: readonly string[]): Promise<number> {
  const { values: args } = parseArgs({ args: [...argv], options: OPTIONS, strict: true });
  const spoofDir = args.spoof;
  const limit = args['bona-fide-limit'] === undefined ? Number.POSITIVE_INFINITY : Number(args['bona-fide-limit']);
  const scoreOnly = args['score-only'];
  if (!spoofDir || (args.features !== 'all' && args.features !== 'base') || !(limit > 0) || (scoreOnly && args['write-calibration'])) {
    console.error(USAGE);
    return 2;
  }
  const config = loadConfig();
  const framing = args.framing ? Number(args.framing) : DEFAULT_PAD_FRAMING;
  const spoof = loadSpoofSet(spoofDir);
  const extra = (args['bona-fide'] ?? []).map((dir) => ({ dir, samples: loadBonaFideFolder(dir, 'bona-fide', limit) }));
  const held = (args['holdout-bona-fide'] ?? []).map((dir) => ({ dir, samples: loadBonaFideFolder(dir, 'holdout') }));
  const set = [...spoof, ...extra.flatMap((e) => e.samples), ...held.flatMap((h) => h.samples)];
  const { features, engineLabel } = await measureSet(config, set, framing, args.cache);
  if (scoreOnly) {
    const scored = scoreShippedPad(set, features, PAD_CALIBRATION);
    await writeScoreOnlyOutputs(scored, path.basename(path.resolve(spoofDir)), args.out, args.figure);
    printScoreOnly(scored, engineLabel, framing);
    return 0;
  }

  const settings: SpoofEvalSettings = { passBpcer: 0.05, attackBpcer: 0.01, l2: 1, features: args.features === 'base' ? BASE_PAD_FEATURES : PAD_FEATURES };
  const setName = path.basename(path.resolve(spoofDir));
  const describe = (dir: string, samples: readonly SpoofSample[]) =>
    `${path.basename(path.resolve(dir))} (${samples.length} images, ${new Set(samples.map((s) => s.subject)).size} subjects)`;
  const provenance = `fitted by scripts/eval-spoof.ts on ${[describe(spoofDir, spoof), ...extra.map((e) => `bona fide ${describe(e.dir, e.samples)}`)].join(' + ')}, `
    + `${engineLabel}, PAD framing ${framing}; thresholds at leave-one-subject-out BPCER `
    + `${settings.passBpcer} (pass) and ${settings.attackBpcer} (attack), features ${args.features}`
    + (held.length ? `; held out: ${held.map((h) => describe(h.dir, h.samples)).join(', ')}` : '');
  const report = evaluatePad(set, features, settings, provenance);
  await writeOutputs(report, setName, args.out, args.figure);
  if (args['write-calibration']) {
    await writeFile('src/domain/liveness/pad-calibration.ts', calibrationSource(report.calibration));
    console.log('wrote src/domain/liveness/pad-calibration.ts');
  }
  printReport(report);
  return 0;
}

/** Detection and the PAD nets per image (cached), then the image cues; features[i] belongs to set[i]. */
async function measureSet(config: Config, set: readonly SpoofSample[], framing: number, cacheDir: string) {
  // The worker's engine, built as startWorker builds it (src/bootstrap/roles.ts).
  const engine = await createEngine({
    backend: config.ENGINE_BACKEND, detector: config.ENGINE_DETECTOR, minDetectionScore: config.ENGINE_MIN_DETECTION_SCORE,
    model: config.ENGINE_MODEL,
  });
  const pad = await createHumanPadModel({ backend: config.ENGINE_BACKEND, framing });
  const { info } = engine;
  const engineLabel = `${info.name} ${info.version} ${info.model} (${info.detector})`;
  try {
    const detectionIdentity = `${info.name}-${info.version}-${info.model}-${info.detector}:${config.ENGINE_MIN_DETECTION_SCORE}:${config.IMAGE_MAX_SIDE}:${config.UPLOAD_MAX_PIXELS}`;
    const deps = {
      engine, pad, limits: { maxPixels: config.UPLOAD_MAX_PIXELS, maxSide: config.IMAGE_MAX_SIDE },
      detections: await JsonLinesCache.open<Detection>(cacheDir, 'detect', detectionIdentity),
      scores: await JsonLinesCache.open<PadScores>(cacheDir, 'pad', `${detectionIdentity}:${pad.info.source}:${framing}`),
    };
    const features: PadFeatures[] = [];
    let measured = 0;
    for (const sample of set) {
      const { fresh, ...f } = await measurePadFeatures(sample, deps);
      features.push(f);
      if (fresh && ++measured % 50 === 0) console.error(`measured ${measured} images`);
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
    `PAD, combined score: ${setName} set leave-one-subject-out (${report.counts.bona} bona fide, ${report.counts.attack} attacks)`
      + (report.bonaFide ? `, ${report.bonaFide.scores.length} other photos fitted` : '') + (report.holdout ? `, ${report.holdout.scores.length} held out` : ''),
    report.combined.samples,
    [{ label: 'pass', threshold: report.combined.pass.threshold }, { label: 'attack', threshold: report.combined.attack.threshold }],
    [
      ...(report.bonaFide ? [{ label: 'other photos, fitted', scores: report.bonaFide.scores }] : []),
      ...(report.holdout ? [{ label: 'held-out photos', scores: report.holdout.scores }] : []),
    ],
  );
  await writeFile(path.join(out, 'pad-eval.png'), figure);
  if (figurePath) {
    await mkdir(path.dirname(figurePath), { recursive: true });
    await writeFile(figurePath, figure);
  }
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;

async function writeScoreOnlyOutputs(report: ShippedScoreReport, setName: string, out: string, figurePath: string | undefined): Promise<void> {
  await mkdir(out, { recursive: true });
  const { samples: _s, ...shipped } = report.shipped;
  await writeFile(path.join(out, 'score-only.json'), JSON.stringify({ ...report, shipped }, null, 2));
  const figure = await padFigurePng(
    `PAD, shipped calibration: ${setName} set (${report.counts.bona} bona fide, ${report.counts.attack} attacks)`
      + (report.bonaFide ? `, ${report.bonaFide.scores.length} other photos` : ''),
    report.shipped.samples,
    [{ label: 'pass', threshold: report.calibration.passScore }, { label: 'attack', threshold: report.calibration.attackScore }],
    report.bonaFide ? [{ label: 'other photos', scores: report.bonaFide.scores }] : [],
  );
  await writeFile(path.join(out, 'pad-score-only.png'), figure);
  if (figurePath) {
    await mkdir(path.dirname(figurePath), { recursive: true });
    await writeFile(figurePath, figure);
  }
}

function printScoreOnly(report: ShippedScoreReport, engineLabel: string, framing: number): void {
  const s = report.shipped;
  const types = Object.entries(s.pass.apcerByType).map(([t, e]) => `${t} ${e.accepted}/${e.count}`).join(', ');
  console.log(`scored with the shipped calibration (${report.calibration.provenance}); measured now with ${engineLabel}, PAD framing ${framing}`);
  console.log(`at the pass threshold ${s.pass.threshold}: APCER ${pct(s.pass.apcer)} (${types}), BPCER ${pct(s.pass.bpcer)}; `
    + `at the attack threshold ${s.attack.threshold}: APCER ${pct(s.attack.apcer)}, BPCER ${pct(s.attack.bpcer)}; AUC ${s.auc.toFixed(3)}, EER ${pct(s.eer)}`);
  console.log(`no face found: ${report.counts.ftaBona} bona fide, ${report.counts.ftaAttack} attacks; ${Math.round(report.msPerImage)} ms per image`);
  const b = report.bonaFide;
  if (b) console.log(`other bona fide: ${b.images - b.fta} scored of ${b.images} (${b.subjects} subjects), below pass ${pct(b.bpcer)}, below attack ${pct(b.bpcerAttack)}`);
  console.log(scoreOnlySummaryLine(report));
}

function printReport(report: SpoofReport): void {
  for (const s of [report.antispoof, report.combined]) {
    const types = Object.entries(s.pass.apcerByType).map(([t, e]) => `${t} ${e.accepted}/${e.count}`).join(', ');
    console.log(`${s.name}: AUC ${s.auc.toFixed(3)}, EER ${pct(s.eer)}, at threshold ${s.pass.threshold.toFixed(4)}: BPCER ${pct(s.pass.bpcer)}, `
      + `APCER ${pct(s.pass.apcer)} (${types}); APCER counting undetected attacks as refused ${pct(s.apcerWithFta)}; `
      + `print APCER 5 % costs BPCER ${pct(s.bpcerAtPrintApcer5)}`);
  }
  console.log(`no face found: ${report.counts.ftaBona} bona fide, ${report.counts.ftaAttack} attacks; ${Math.round(report.msPerImage)} ms per image`);
  for (const [name, b] of [['extra bona fide (fitted, leave-one-subject-out)', report.bonaFide], ['held-out bona fide (never fitted)', report.holdout]] as const) {
    if (!b) continue;
    console.log(`${name}: ${b.images - b.fta} scored of ${b.images} (${b.subjects} subjects), below pass ${pct(b.bpcer)}, below attack ${pct(b.bpcerAttack)}; `
      + `${b.greyscale} greyscale, below pass among those in colour ${pct(b.bpcerColour)}`);
  }
  console.log(spoofSummaryLine(report));
}
