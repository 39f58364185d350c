/** report.md: the numbers of report.json for a person, with the figures beside them. */
import type { TarAtFar } from './metrics.js';
import type { EvaluationReport } from './run-evaluation.js';
import type { ScoreSummary, SectionReport } from './section-report.js';

export function reportMarkdown(report: EvaluationReport, figures: ReadonlyMap<string, readonly string[]>): string {
  const { engine, machine, timing } = report;
  const out: string[] = [
    `# Face matching accuracy: ${engine.label}`,
    '',
    `Engine \`${engine.info.name}/${engine.info.model}\` ${engine.info.version}, detector \`${engine.info.detector}\`, backend \`${engine.info.backend}\`, ` +
      `${engine.info.embeddingSize}-d embedding; document preprocessing \`${engine.preprocess}\`. Generated ${report.generatedAt} by \`${report.tool.command}\` ` +
      `on ${machine.cpus} x ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}.`,
    '',
    `Every image went through the workers' code path (upload normalisation, decode, detection, face selection, embedding); ` +
      `distances are the Euclidean distances the decision uses (lower = more alike). ` +
      `${timing.imagesComputed} images processed in this run, ${timing.imagesFromCache} taken from the embedding cache` +
      (timing.msPerImage ? `; ${fmtMs(timing.msPerImage.mean)} ms per image on average (median ${fmtMs(timing.msPerImage.median)}, p90 ${fmtMs(timing.msPerImage.p90)}).` : '.'),
    '',
    '| set | images | FTE | k-fold accuracy | EER | AUC | TAR @ FAR 1e-2 | TAR @ FAR 1e-3 | TAR @ FAR 1e-4 |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.sections.flatMap((s) => summaryRows(s)),
    '',
    'TAR cells give the TAR and, in brackets, the impostor pairs behind it; "n/a (N < M)" means the set has fewer impostor pairs ' +
      'than that FAR needs to be measured at all, so no number is given.',
    '',
  ];
  for (const section of report.sections) out.push(...sectionMarkdown(section, figures.get(section.name) ?? []));
  out.push(...calibrationMarkdown(report));
  return `${out.join('\n')}\n`;
}

function summaryRows(s: SectionReport): string[] {
  const kfold = s.kFold ? `${pct(s.kFold.mean)} ± ${pct(s.kFold.std)} (${s.kFold.folds.length} folds)` : 'n/a';
  const row = (label: string, summary: ScoreSummary, withKfold: boolean) =>
    `| ${label} | ${withKfold ? s.images : ''} | ${withKfold ? `${pct(s.fte.rate)} (${s.fte.failed})` : ''} | ${withKfold ? kfold : ''} | ` +
    `${summary.eer === null ? 'n/a' : pct(summary.eer)} | ${summary.auc === null ? 'n/a' : summary.auc.toFixed(4)} | ` +
    `${summary.tarAtFar.map(tarCell).join(' | ')} |`;
  const rows = [row(`${s.name}: listed pairs`, s.listedPairs, true)];
  if (s.allPairs) rows.push(row(`${s.name}: all pairs within folds`, s.allPairs, false));
  return rows;
}

function sectionMarkdown(s: SectionReport, figures: readonly string[]): string[] {
  const out = [`## ${s.name}`, '', s.description + '.', ''];
  out.push(
    `**Failure to enrol:** ${s.fte.failed} of ${s.fte.images} images (${pct(s.fte.rate)})` +
      (s.fte.failed ? `: ${reasons(s.fte.byReason)}. First: ${s.fte.examples.map((e) => `\`${e}\``).join(', ')}.` : '.'),
  );
  if (s.fteWholeImage) {
    out.push(
      '',
      `The protocol compares the central face (the named person). Judged as selfies, whole photo, the workers would refuse ` +
        `${s.fteWholeImage.failed} (${pct(s.fteWholeImage.rate)})${s.fteWholeImage.failed ? `: ${reasons(s.fteWholeImage.byReason)}` : ''}.`,
    );
  }
  out.push(
    '',
    `**Pairs:** ${s.pairs.total} listed (${s.pairs.genuine} same person, ${s.pairs.impostor} different); ` +
      `${s.pairs.withoutFace} have an image without a usable face and count as "not the same person" in the accuracy.` +
      (s.identityLeakage.length ? ` **Identity leakage:** ${s.identityLeakage.length} identities appear in more than one fold.` : ''),
    '',
  );
  if (s.kFold) {
    out.push(
      `**k-fold accuracy:** ${pct(s.kFold.mean)} ± ${pct(s.kFold.std)} (std; standard error ${pct(s.kFold.standardError)}), ` +
        `each fold's threshold chosen on the other folds: ${s.kFold.folds.map((f) => `fold ${f.fold + 1}: ${pct(f.accuracy)} at ${f.threshold.toFixed(4)}`).join('; ')}.`,
      '',
    );
  }
  out.push(...scoreTable('Listed pairs', s.listedPairs));
  if (s.allPairs) {
    out.push(
      ...scoreTable(`All pairs within folds${s.allPairs.sampled ? ' (impostor pairs sampled)' : ''}`, s.allPairs),
      'Cross-validated: the threshold for each FAR chosen on all other folds, then measured on the fold left out.',
      '',
      '| target FAR | held-out FAR (pooled) | mean held-out TAR | folds |',
      '| ---: | ---: | ---: | ---: |',
      ...s.allPairs.crossValidated.map((c) => `| ${c.targetFar} | ${c.pooledFar === null ? 'n/a' : sci(c.pooledFar)} | ${c.meanTar === null ? 'n/a' : pct(c.meanTar)} | ${c.folds.length} |`),
      '',
    );
  }
  if (s.atThresholds) {
    const t = s.atThresholds;
    const line = (name: string, p: typeof t.verify) =>
      `| ${name} | ${p.listed.threshold.toFixed(4)} | ${pct(p.listed.tar)} | ${p.listed.falseAccepts} / ${p.listed.impostorPairs} | ` +
      (p.all ? `${pct(p.all.tar)} | ${p.all.falseAccepts} / ${p.all.impostorPairs} |` : 'n/a | n/a |');
    out.push(
      `With the thresholds in force (${t.source}):`,
      '',
      '| accepted as | distance <= | TAR listed | false accepts listed | TAR all pairs | false accepts all pairs |',
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      line('verified', t.verify),
      line('verified or review', t.review),
      '',
    );
  }
  if (s.hardestPairs.genuine.length || s.hardestPairs.impostor.length) {
    out.push(
      'Hardest listed pairs (file names only):',
      '',
      ...s.hardestPairs.genuine.slice(0, 5).map((p) => `- same person, far apart: \`${p.a}\` / \`${p.b}\` at ${p.distance.toFixed(4)}`),
      ...s.hardestPairs.impostor.slice(0, 5).map((p) => `- different people, close: \`${p.a}\` / \`${p.b}\` at ${p.distance.toFixed(4)}`),
      '',
    );
  }
  for (const figure of figures) out.push(`![${figure}](${figure})`, '');
  return out;
}

function scoreTable(title: string, s: ScoreSummary): string[] {
  return [
    `**${title}:** ${s.genuinePairs} genuine and ${s.impostorPairs} impostor pairs; EER ${s.eer === null ? 'n/a' : pct(s.eer)}` +
      `${s.eerThreshold === null ? '' : ` at distance ${s.eerThreshold.toFixed(4)}`}; AUC ${s.auc === null ? 'n/a' : s.auc.toFixed(5)}.`,
    '',
    '| target FAR | TAR | 95 % interval | threshold | measured FAR | false accepts / impostor pairs |',
    '| ---: | ---: | ---: | ---: | ---: | ---: |',
    ...s.tarAtFar.map((t) =>
      t.resolvable
        ? `| ${t.targetFar} | ${pct(t.tar)} | ${pct(t.tarInterval95[0])} – ${pct(t.tarInterval95[1])} | ${t.threshold.toFixed(4)} | ${sci(t.far)} | ${t.falseAccepts} / ${t.impostorPairs} |`
        : `| ${t.targetFar} | not resolvable | | | | ${t.reason} |`,
    ),
    '',
  ];
}

function calibrationMarkdown(report: EvaluationReport): string[] {
  const c = report.calibration;
  if (!c) return ['## Calibration', '', 'No set with all-pairs scores (LFW layout) was evaluated, so no thresholds are proposed.', ''];
  if (!c.ok) return ['## Calibration', '', `Not proposed: ${c.reason}.`, ''];
  const { calibration: cal } = c;
  return [
    '## Calibration proposal',
    '',
    `From \`${c.from}\`: verified at distance <= ${cal.verifyMaxDistance} (measured FAR ${sci(cal.measured.verify.far)}, ` +
      `${cal.measured.verify.falseAccepts} of ${cal.measured.verify.impostorPairs} impostor pairs; TAR ${pct(cal.measured.verify.tar)}), ` +
      `review up to ${cal.reviewMaxDistance} (FAR ${sci(cal.measured.review.far)}, TAR ${pct(cal.measured.review.tar)}). ` +
      `Entry for \`models/calibration.json\` under \`${report.engine.info.model}\`:`,
    '',
    '```json',
    JSON.stringify(cal, null, 2),
    '```',
    '',
  ];
}

function tarCell(t: TarAtFar): string {
  return t.resolvable ? `${pct(t.tar)} (${t.impostorPairs})` : `n/a (${t.impostorPairs} < ${t.impostorPairsNeeded})`;
}

const reasons = (byReason: Readonly<Record<string, number>>) =>
  Object.entries(byReason).sort(([, a], [, b]) => b - a).map(([r, n]) => `${r} ${n}`).join(', ');
const pct = (v: number) => (Number.isNaN(v) ? 'n/a' : `${(100 * v).toFixed(2)} %`);
const sci = (v: number) => (v === 0 ? '0' : v.toExponential(2));
const fmtMs = (v: number) => String(Math.round(v));
