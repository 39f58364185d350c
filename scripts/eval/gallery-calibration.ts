/**
 * Writes the reference gallery's thresholds into models/calibration.json from gallery reports
 * (`npm run eval -- --lfw DIR --gallery K` for each K):
 *
 *   npx tsx scripts/eval/gallery-calibration.ts --model human-faceapi-frnet-5pt --rule mean \
 *     var/eval/human-frnet-gallery/gallery-lfw-{1,2,3,4,5}.json
 *
 * Each size gets the verify (FAR <= 1e-3) and review (FAR <= 1e-2) thresholds the report measured for the rule, its
 * FAR table, what was measured there, and where it came from. The model's single-pair calibration is left as it is.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CALIBRATION_FILE, loadCalibration } from '../../src/config/calibration.js';
import type { GalleryReport } from '../../src/evaluation/gallery-eval.js';

const { values: args, positionals } = parseArgs({
  options: { model: { type: 'string' }, rule: { type: 'string' } },
  allowPositionals: true,
  strict: true,
});
if (!args.model || !args.rule || !positionals.length) {
  process.stderr.write('usage: gallery-calibration.ts --model <ENGINE_MODEL> --rule <min|mean|mean-best-2> <gallery-*.json>...\n');
  process.exit(2);
}

const sizes: Record<string, unknown> = {};
for (const file of positionals) {
  const report = JSON.parse(await readFile(file, 'utf8')) as GalleryReport & { engine: string };
  const figures = report.rules.find((r) => r.rule === args.rule);
  if (!figures) throw new Error(`${file}: no rule ${args.rule}`);
  if (!figures.calibration.ok) throw new Error(`${file}: ${figures.calibration.reason}`);
  const c = figures.calibration.calibration;
  sizes[String(report.gallerySize)] = {
    verifyMaxDistance: c.verifyMaxDistance,
    reviewMaxDistance: c.reviewMaxDistance,
    source: `npm run eval -- --${report.set} <dir> --gallery ${report.gallerySize} --min-face-px ${report.selfieRules.minFacePx} (engine ${report.engine}): `
      + `${c.calibratedOn}; images sha256 ${report.imagesSha256.slice(0, 16)}…; calibrated ${c.calibratedAt}`,
    // Rounding can make two levels meet; the table must ascend strictly.
    farTable: c.farTable.filter((p, i, all) => i === 0 || p.distance > all[i - 1]!.distance),
    measured: {
      verifyTar: round(c.measured.verify.tar), verifyFar: round(c.measured.verify.far, 7),
      reviewTar: round(c.measured.review.tar), reviewFar: round(c.measured.review.far, 7),
      genuine: c.measured.verify.genuinePairs, impostor: c.measured.verify.impostorPairs,
    },
  };
}

const file = JSON.parse(await readFile(CALIBRATION_FILE, 'utf8')) as { models: Record<string, Record<string, unknown>> };
const model = file.models[args.model];
if (!model) throw new Error(`${CALIBRATION_FILE}: no model ${args.model}`);
model['gallery'] = { rule: args.rule, sizes };
await writeFile(CALIBRATION_FILE, `${JSON.stringify(file, null, 2)}\n`);
loadCalibration(args.model); // refuses what the decision code would refuse
process.stderr.write(`wrote ${Object.keys(sizes).length} gallery sizes for ${args.model} (${args.rule}) into ${path.relative(process.cwd(), CALIBRATION_FILE)}\n`);

function round(n: number, digits = 6): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}
