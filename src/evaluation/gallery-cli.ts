/**
 * `npm run eval -- --identities DIR --gallery K` (or `--lfw DIR --gallery K`): scripts/eval.ts builds the engine as
 * for the pair evaluation and hands over here. Writes gallery-<set>-<K>.json and a DET figure of every fusion rule,
 * and prints `gallery=K fusion=<rule> tar_at_far_1e-3=… tar_at_far_1e-4=… …` as the last stdout line, for the rule
 * in force (the calibration's, or `--fusion`).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FUSION_RULES, type FusionRule } from '../domain/verification/gallery-fusion.js';
import { runGalleryEvaluation, type GalleryEvalOptions, type GalleryReport } from './gallery-eval.js';
import { loadPersonSet } from './gallery-set.js';
import { detSvg, svgToPng } from './plots.js';

export interface GalleryCliOptions extends Omit<GalleryEvalOptions, 'set'> {
  readonly root: string;
  readonly layout: 'lfw' | 'identities';
  readonly fusion: FusionRule;
  readonly outDir: string;
  readonly engineLabel: string;
}

export function parseFusionRule(value: string | undefined, fallback: FusionRule): FusionRule {
  if (value === undefined) return fallback;
  if ((FUSION_RULES as readonly string[]).includes(value)) return value as FusionRule;
  throw new RangeError(`--fusion must be one of ${FUSION_RULES.join(', ')}, got "${value}"`);
}

/** Runs one gallery size; returns the summary line. */
export async function runGalleryCli(options: GalleryCliOptions): Promise<string> {
  const set = await loadPersonSet(options.root, options.layout);
  const run = await runGalleryEvaluation({ ...options, set });
  await mkdir(options.outDir, { recursive: true });
  const base = `gallery-${set.name}-${options.gallerySize}`;
  const json = path.join(options.outDir, `${base}.json`);
  await writeFile(json, `${JSON.stringify({ engine: options.engineLabel, fusionInForce: options.fusion, ...run.report }, null, 2)}\n`);
  const series = [...run.scores].filter(([, s]) => s.genuine.length && s.impostor.length)
    .map(([rule, scores]) => ({ label: rule === 'single-reference' ? 'first reference alone' : `${options.gallerySize} refs, ${rule}`, scores }));
  const written = [json];
  if (series.length) {
    const png = path.join(options.outDir, `${base}-det.png`);
    await writeFile(png, await svgToPng(detSvg(`DET, ${set.name}, gallery of ${options.gallerySize}: ${options.engineLabel}`, series, [])));
    written.push(png);
  }
  options.progress.write(`${tableOf(run.report)}\nwrote ${written.map((f) => path.relative(process.cwd(), f)).join(', ')}\n`);
  return summaryLine(run.report, options.fusion, options.engineLabel);
}

/** `gallery=3 fusion=mean tar_at_far_1e-3=0.9940 tar_at_far_1e-4=0.9590 eer=… genuine=… impostor=… engine=… set=…` */
export function summaryLine(report: GalleryReport, fusion: FusionRule, engineLabel: string): string {
  const figures = report.rules.find((r) => r.rule === fusion);
  const tar = (far: number) => {
    const point = figures?.tarAtFar.find((t) => t.targetFar === far);
    return point?.resolvable ? point.tar.toFixed(4) : 'na';
  };
  return [
    `gallery=${report.gallerySize}`, `fusion=${fusion}`, `tar_at_far_1e-3=${tar(1e-3)}`, `tar_at_far_1e-4=${tar(1e-4)}`,
    `eer=${figures?.eer?.toFixed(4) ?? 'na'}`, `genuine=${figures?.genuine ?? 0}`, `impostor=${figures?.impostor ?? 0}`,
    `engine=${engineLabel}`, `set=${report.set}`,
  ].join(' ');
}

function tableOf(report: GalleryReport): string {
  const lines = [`${report.set}: ${report.peopleWithGallery} of ${report.people} people have ${report.gallerySize}+1 usable photos`];
  for (const r of report.rules) {
    const at = (far: number) => {
      const p = r.tarAtFar.find((t) => t.targetFar === far);
      return p?.resolvable ? `${(p.tar * 100).toFixed(2)} %` : 'na';
    };
    const c = r.calibration.ok ? `verify<=${r.calibration.calibration.verifyMaxDistance} review<=${r.calibration.calibration.reviewMaxDistance}` : 'no thresholds';
    lines.push(`  ${r.rule.padEnd(17)} TAR@1e-2 ${at(1e-2)}  TAR@1e-3 ${at(1e-3)}  TAR@1e-4 ${at(1e-4)}  ${c}  (${r.genuine} genuine, ${r.impostor} impostor)`);
  }
  return lines.join('\n');
}
