/** Writes a run's report.json, report.md and figures (<set>-det.png, <set>-histogram.png) into the output folder. */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sortScores, type SortedScores } from './metrics.js';
import { detSvg, histogramSvg, svgToPng, type CurveSeries, type MarkedThreshold } from './plots.js';
import { reportMarkdown } from './report-markdown.js';
import type { EvaluationRun } from './run-evaluation.js';
import { pooled } from './section-report.js';

/** Returns the paths written. */
export async function writeReportFiles(run: EvaluationRun, outDir: string): Promise<string[]> {
  await mkdir(outDir, { recursive: true });
  const { report, scores } = run;
  const written: string[] = [];
  const figures = new Map<string, string[]>();
  const marks = thresholdMarks(run);

  for (const section of report.sections) {
    const setScores = scores.get(section.name);
    if (!setScores) continue;
    const listed = listedScores(setScores.pairs);
    const series: CurveSeries[] = [];
    if (listed.genuine.length && listed.impostor.length) series.push({ label: 'listed pairs', scores: listed });
    const all = setScores.allPairs ? pooled(setScores.allPairs) : null;
    if (all && all.genuine.length && all.impostor.length) series.push({ label: 'all pairs within folds', scores: all });
    if (!series.length) continue;
    const names: string[] = [];
    const title = `${section.name}: ${report.engine.label}`;
    names.push(await writePng(outDir, `${section.name}-det.png`, detSvg(`DET, ${title}`, series, marks)));
    const histogramScores = all && all.genuine.length && all.impostor.length ? all : listed;
    names.push(await writePng(outDir, `${section.name}-histogram.png`, histogramSvg(`Distances, ${title}`, histogramScores, marks)));
    figures.set(section.name, names);
    written.push(...names.map((n) => path.join(outDir, n)));
  }

  const json = path.join(outDir, 'report.json');
  await writeFile(json, `${JSON.stringify(report, null, 2)}\n`);
  const md = path.join(outDir, 'report.md');
  await writeFile(md, reportMarkdown(report, figures));
  return [json, md, ...written];
}

/** The thresholds in force if the model has a calibration, else the ones this run proposes. */
function thresholdMarks(run: EvaluationRun): MarkedThreshold[] {
  const inForce = run.report.sections.find((s) => s.atThresholds)?.atThresholds;
  if (inForce) {
    return [
      { label: 'verify', distance: inForce.verify.listed.threshold },
      { label: 'review', distance: inForce.review.listed.threshold },
    ];
  }
  const proposed = run.report.calibration;
  if (proposed?.ok) {
    return [
      { label: 'verify (proposed)', distance: proposed.calibration.verifyMaxDistance },
      { label: 'review (proposed)', distance: proposed.calibration.reviewMaxDistance },
    ];
  }
  return [];
}

function listedScores(pairs: readonly { same: boolean; distance: number | null }[]): SortedScores {
  const scored = pairs.filter((p): p is { same: boolean; distance: number } => p.distance !== null);
  return sortScores(scored.filter((p) => p.same).map((p) => p.distance), scored.filter((p) => !p.same).map((p) => p.distance));
}

async function writePng(dir: string, name: string, svg: string): Promise<string> {
  await writeFile(path.join(dir, name), await svgToPng(svg));
  return name;
}
