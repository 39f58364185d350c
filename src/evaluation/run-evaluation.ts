/**
 * The evaluation run: every image of every set through the workers' pipeline (or the cache), then scores,
 * metrics, a calibration proposal and the report files. The engine is created by the caller (scripts/eval.ts),
 * the same way the worker creates it, and passed in.
 */
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type { ImageOps } from '../domain/verification/face-analysis.js';
import type { SelfieRules } from '../domain/verification/face-selection.js';
import type { FaceEngine } from '../engine/face-engine.js';
import type { ImageLimits } from '../images/image-codec.js';
import { proposeCalibration, type CalibrationOutcome } from './calibration-proposal.js';
import { cachedExtraction, CACHE_FORMAT, EmbeddingCache } from './embedding-cache.js';
import type { EvalSet } from './eval-set.js';
import type { ImageResult } from './face-extraction.js';
import { Progress, type ProgressStream } from './progress.js';
import { pooled, sectionReport, type SectionReport, type Thresholds } from './section-report.js';
import { scoreSet, type SetScores } from './set-scores.js';

export interface EvaluationOptions {
  readonly sets: readonly EvalSet[];
  readonly engine: FaceEngine;
  /** The name the engine was chosen by (`--engine`), e.g. "faceapi-ssd". */
  readonly engineLabel: string;
  /** Options the engine was created with; part of the cache identity. */
  readonly engineOptions: Readonly<Record<string, unknown>>;
  /** sha256 of models/manifest.json: new weights mean new embeddings. */
  readonly manifestSha256: string;
  /** Image operations for selfies (the workers' own). */
  readonly ops: ImageOps;
  /** Image operations for documents: the workers' own, or wrapped by a preprocessing candidate. */
  readonly documentOps: ImageOps;
  /** Name of the document preprocessing applied through `documentOps` ("none" = production). */
  readonly preprocess: string;
  readonly limits: ImageLimits;
  readonly selfieRules: SelfieRules;
  readonly cacheDir: string;
  /** Thresholds to apply in every section (models/calibration.json for this model), if any. */
  readonly thresholds: Thresholds | null;
  readonly maxImpostorPairs: number;
  readonly progress: ProgressStream;
  readonly now: Date;
}

export interface EvaluationReport {
  readonly generatedAt: string;
  readonly tool: { readonly command: string; readonly cacheFormat: number };
  readonly machine: { readonly cpus: number; readonly cpuModel: string; readonly memoryGiB: number; readonly node: string; readonly platform: string };
  readonly engine: {
    readonly label: string;
    readonly info: FaceEngine['info'];
    readonly options: Readonly<Record<string, unknown>>;
    readonly cacheKey: string;
    readonly manifestSha256: string;
    readonly preprocess: string;
    readonly tensorsBefore: number;
    readonly tensorsAfter: number;
  };
  readonly settings: { readonly limits: ImageLimits; readonly selfieRules: SelfieRules; readonly maxImpostorPairs: number };
  readonly timing: {
    readonly imagesComputed: number;
    readonly imagesFromCache: number;
    /** Per image, normalisation + decode + detection + embedding, as measured when the image was processed. */
    readonly msPerImage: { readonly mean: number; readonly median: number; readonly p90: number } | null;
  };
  readonly sections: readonly SectionReport[];
  readonly calibration: ({ readonly from: string } & CalibrationOutcome) | null;
  readonly summary: Summary;
}

/** The headline numbers, printed as the last stdout line. */
export interface Summary {
  readonly set: string | null;
  readonly accuracy: number | null;
  readonly tarAtFar1e3: number | null;
  readonly eer: number | null;
  readonly fte: number | null;
  readonly msPerImage: number | null;
}

/** Scores are returned beside the report so that plots can be drawn from them. */
export interface EvaluationRun {
  readonly report: EvaluationReport;
  readonly scores: ReadonlyMap<string, SetScores>;
}

export async function runEvaluation(options: EvaluationOptions): Promise<EvaluationRun> {
  const cacheKey = engineCacheKey(options);
  const cache = await EmbeddingCache.open(options.cacheDir, cacheKey);
  const tensorsBefore = options.engine.tensorCount();
  let computed = 0;
  let fromCache = 0;
  const timings: number[] = [];
  const sections: SectionReport[] = [];
  const scores = new Map<string, SetScores>();

  for (const set of options.sets) {
    const progress = new Progress(set.name, set.images.size, options.progress);
    const results = new Map<string, ImageResult>();
    for (const image of set.images.values()) {
      const ops = image.role === 'document' ? options.documentOps : options.ops;
      const { result, cached } = await cachedExtraction(cache, { engine: options.engine, ops, limits: options.limits, selfieRules: options.selfieRules }, image);
      if (cached) fromCache++;
      else computed++;
      progress.tick(cached ? undefined : totalMs(result));
      timings.push(totalMs(result));
      results.set(image.id, result);
    }
    progress.finish();
    const setScores = scoreSet(set, results, { selfieRules: options.selfieRules, maxImpostorPairs: options.maxImpostorPairs });
    scores.set(set.name, setScores);
    const imagesSha256 = createHash('sha256')
      .update([...results].map(([id, r]) => `${id}:${r.sha256}`).sort().join('\n'))
      .digest('hex');
    const section = sectionReport(set, setScores, options.thresholds);
    sections.push({ ...section, provenance: { ...section.provenance, imagesSha256 } });
  }

  const report: EvaluationReport = {
    generatedAt: options.now.toISOString(),
    tool: { command: 'npm run eval', cacheFormat: CACHE_FORMAT },
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? 'unknown',
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
    engine: {
      label: options.engineLabel,
      info: options.engine.info,
      options: options.engineOptions,
      cacheKey,
      manifestSha256: options.manifestSha256,
      preprocess: options.preprocess,
      tensorsBefore,
      tensorsAfter: options.engine.tensorCount(),
    },
    settings: { limits: options.limits, selfieRules: options.selfieRules, maxImpostorPairs: options.maxImpostorPairs },
    timing: { imagesComputed: computed, imagesFromCache: fromCache, msPerImage: describe(timings) },
    sections,
    calibration: calibrationFrom(options, scores, sections),
    summary: summarise(sections, timings),
  };
  return { report, scores };
}

/** The set thresholds are calibrated on: the first with all-pairs scores (LFW), else none. */
function calibrationFrom(options: EvaluationOptions, scores: ReadonlyMap<string, SetScores>, sections: readonly SectionReport[]): EvaluationReport['calibration'] {
  const section = sections.find((s) => scores.get(s.name)?.allPairs);
  const all = section ? scores.get(section.name)?.allPairs : null;
  if (!section || !all) return null;
  const set = options.sets.find((s) => s.name === section.name);
  const imagesSha256 = String(section.provenance['imagesSha256'] ?? '').slice(0, 16);
  const label =
    `${set ? path.basename(set.root) : section.name} (${section.description}): all ${section.allPairs?.genuinePairs} genuine and ` +
    `${section.allPairs?.impostorPairs} impostor pairs within folds, faces >= ${options.selfieRules.minFacePx} px; images sha256 ${imagesSha256}…`;
  return { from: section.name, ...proposeCalibration(pooled(all), label, options.now) };
}

function summarise(sections: readonly SectionReport[], timings: readonly number[]): Summary {
  const main = sections.find((s) => s.allPairs) ?? sections[0];
  if (!main) return { set: null, accuracy: null, tarAtFar1e3: null, eer: null, fte: null, msPerImage: null };
  const at1e3 = (main.allPairs ?? main.listedPairs).tarAtFar.find((t) => t.targetFar === 1e-3);
  return {
    set: main.name,
    accuracy: main.kFold?.mean ?? null,
    tarAtFar1e3: at1e3?.resolvable ? at1e3.tar : null,
    eer: main.listedPairs.eer,
    fte: main.fte.rate,
    msPerImage: describe(timings)?.mean ?? null,
  };
}

/** `accuracy=0.9850 tar_at_far_1e-3=0.9123 eer=0.0170 fte=0.0021 …`: "na" where the data could not say. */
export function summaryLine(summary: Summary, engineLabel: string): string {
  const f = (v: number | null, digits = 4) => (v === null || Number.isNaN(v) ? 'na' : v.toFixed(digits));
  return [
    `accuracy=${f(summary.accuracy)}`,
    `tar_at_far_1e-3=${f(summary.tarAtFar1e3)}`,
    `eer=${f(summary.eer)}`,
    `fte=${f(summary.fte)}`,
    `ms_per_image=${f(summary.msPerImage, 0)}`,
    `engine=${engineLabel}`,
    `set=${summary.set ?? 'na'}`,
  ].join(' ');
}

/** The cache file an engine identity writes to; the gallery evaluation reads the same one. */
export function engineCacheKey(
  options: Pick<EvaluationOptions, 'engine' | 'engineOptions' | 'manifestSha256' | 'limits' | 'preprocess' | 'engineLabel'>,
): string {
  const identity = {
    info: options.engine.info,
    options: options.engineOptions,
    manifestSha256: options.manifestSha256,
    limits: options.limits,
    preprocess: options.preprocess,
  };
  const digest = createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 16);
  return `${options.engineLabel}-${digest}`;
}

const totalMs = (r: ImageResult) => r.timings.normalizeMs + r.timings.decodeMs + r.timings.inferenceMs;

function describe(values: readonly number[]): { mean: number; median: number; p90: number } | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  return { mean: values.reduce((a, b) => a + b, 0) / values.length, median: at(0.5), p90: at(0.9) };
}
