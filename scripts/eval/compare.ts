/**
 * Comparison table of several `npm run eval` reports, as Markdown on stdout (the tables in models/README.md and
 * docs/ACCURACY.md are made with it):
 *
 *   npx tsx scripts/eval/compare.ts var/eval/faceapi-ssd var/eval/human-frnet [--set lfw]
 *
 * One row per report and set: FTE, k-fold accuracy, EER, TAR at FAR 1e-2 / 1e-3 (all pairs within folds where the
 * set has them, else the listed pairs; the impostor pairs behind each in brackets), the verify / review outcome at
 * the thresholds in force, and ms per image.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { TarAtFar } from '../../src/evaluation/metrics.js';
import type { EvaluationReport } from '../../src/evaluation/run-evaluation.js';

const { values, positionals } = parseArgs({ options: { set: { type: 'string' } }, allowPositionals: true });
if (!positionals.length) {
  process.stderr.write('usage: compare.ts <report dir or report.json>... [--set <name>]\n');
  process.exit(2);
}

const pct = (v: number | null | undefined) => (v === null || v === undefined || Number.isNaN(v) ? 'n/a' : `${(100 * v).toFixed(2)} %`);
const tar = (t: TarAtFar | undefined) => (!t ? 'n/a' : t.resolvable ? `${pct(t.tar)} (${t.impostorPairs})` : `n/a (${t.impostorPairs} pairs)`);

const rows = [
  '| engine | set | images | FTE | k-fold accuracy | EER | TAR @ FAR 1e-2 | TAR @ FAR 1e-3 | ms / image |',
  '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
];
for (const arg of positionals) {
  const file = arg.endsWith('.json') ? arg : path.join(arg, 'report.json');
  const report = JSON.parse(await readFile(file, 'utf8')) as EvaluationReport;
  for (const s of report.sections) {
    if (values.set && s.name !== values.set) continue;
    const scores = s.allPairs ?? s.listedPairs;
    const at = (far: number) => scores.tarAtFar.find((t) => t.targetFar === far);
    const kfold = s.kFold ? `${pct(s.kFold.mean)} ± ${pct(s.kFold.std)}` : 'n/a';
    rows.push(
      `| ${report.engine.label}${report.engine.preprocess === 'none' ? '' : ` (${report.engine.preprocess})`} | ${s.name} | ${s.images} | ` +
        `${pct(s.fte.rate)} | ${kfold} | ${pct(s.listedPairs.eer)} | ${tar(at(1e-2))} | ${tar(at(1e-3))} | ` +
        `${report.timing.msPerImage ? Math.round(report.timing.msPerImage.mean) : 'n/a'} |`,
    );
  }
}
console.log(rows.join('\n'));
