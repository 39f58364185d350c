/**
 * The gallery evaluation (`npm run eval -- --gallery K`): what comparing a selfie with K references of a person
 * gives, per fusion rule. For every person with at least K+1 usable photos the first K (file-name order) are the
 * gallery and the rest are genuine probes; every usable photo of everyone else in the same fold is an impostor probe
 * against that gallery. Folds are identity-disjoint, so no threshold is measured on a person it was tuned on.
 *
 * Images go through the workers' pipeline exactly as in the pair evaluation, through the same embedding cache.
 * Memory and time grow with (galleries x probes) per fold; beyond `maxImpostorPairs` every s-th impostor
 * comparison is kept (deterministically), so sets of thousands of people stay bounded.
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { FUSION_RULES, fuseDistances, type FusionRule } from '../domain/verification/gallery-fusion.js';
import { euclideanDistance } from '../domain/verification/decision.js';
import type { ImageOps } from '../domain/verification/face-analysis.js';
import type { SelfieRules } from '../domain/verification/face-selection.js';
import type { FaceEngine } from '../engine/face-engine.js';
import type { ImageLimits } from '../images/image-codec.js';
import { proposeCalibration, type CalibrationOutcome } from './calibration-proposal.js';
import { cachedExtraction, EmbeddingCache } from './embedding-cache.js';
import { subjectFace } from './face-extraction.js';
import type { PersonSet } from './gallery-set.js';
import { equalErrorRate, sortScores, tarAtFar, type SortedScores, type TarAtFar } from './metrics.js';
import { Progress, type ProgressStream } from './progress.js';
import { FAR_TARGETS } from './section-report.js';

export interface GalleryEvalOptions {
  readonly set: PersonSet;
  readonly gallerySize: number;
  readonly engine: FaceEngine;
  readonly ops: ImageOps;
  readonly limits: ImageLimits;
  readonly selfieRules: SelfieRules;
  readonly cacheDir: string;
  /** From run-evaluation's engineCacheKey: the pair evaluation's cache is reused. */
  readonly cacheKey: string;
  readonly maxImpostorPairs: number;
  readonly progress: ProgressStream;
  readonly now: Date;
}

/** One rule's (or the single-reference baseline's) figures. */
export interface RuleFigures {
  readonly rule: FusionRule | 'single-reference';
  readonly genuine: number;
  readonly impostor: number;
  readonly eer: number | null;
  readonly tarAtFar: readonly TarAtFar[];
  /** Verify (FAR <= 1e-3) and review (FAR <= 1e-2) thresholds on the fused distance, with the FAR table, or why not. */
  readonly calibration: CalibrationOutcome;
}

export interface GalleryReport {
  readonly set: string;
  readonly gallerySize: number;
  readonly people: number;
  readonly peopleWithGallery: number;
  readonly images: number;
  /** sha256 over every image's name and sha256: which photos these figures rest on. */
  readonly imagesSha256: string;
  readonly selfieRules: SelfieRules;
  /** Images the workers would not use (no face, too small, a rival face), by reason. */
  readonly unusable: Readonly<Record<string, number>>;
  readonly impostorComparisons: number;
  readonly impostorSampledEvery: number;
  readonly rules: readonly RuleFigures[];
  readonly ageWeighted: { readonly measured: false; readonly reason: string };
}

/** The fused scores beside the report, for figures. */
export interface GalleryRun {
  readonly report: GalleryReport;
  readonly scores: ReadonlyMap<RuleFigures['rule'], SortedScores>;
}

type Series = RuleFigures['rule'];
const SERIES: readonly Series[] = [...FUSION_RULES, 'single-reference'];

interface Probe {
  readonly identity: string;
  readonly embedding: Float32Array;
}

export async function runGalleryEvaluation(options: GalleryEvalOptions): Promise<GalleryRun> {
  const { set, gallerySize: k } = options;
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`gallery size must be a positive integer, got ${k}`);
  const usable = await embedAll(options);
  const unusable: Record<string, number> = {};
  for (const reason of usable.reasons) unusable[reason] = (unusable[reason] ?? 0) + 1;

  // Per fold: galleries (first K usable photos of people with K+1 or more) and every usable photo as a probe.
  const folds = new Map<number, { galleries: { identity: string; refs: Float32Array[]; genuine: Float32Array[] }[]; probes: Probe[] }>();
  for (const person of set.people) {
    const fold = folds.get(person.fold) ?? { galleries: [], probes: [] };
    folds.set(person.fold, fold);
    const faces = usable.byIdentity.get(person.identity) ?? [];
    for (const embedding of faces) fold.probes.push({ identity: person.identity, embedding });
    if (faces.length >= k + 1) fold.galleries.push({ identity: person.identity, refs: faces.slice(0, k), genuine: faces.slice(k) });
  }

  let impostorTotal = 0;
  let genuineTotal = 0;
  for (const fold of folds.values()) {
    for (const g of fold.galleries) {
      genuineTotal += g.genuine.length;
      impostorTotal += fold.probes.length - g.refs.length - g.genuine.length;
    }
  }
  const every = Math.max(1, Math.ceil(impostorTotal / options.maxImpostorPairs));
  const genuine = new Map(SERIES.map((s) => [s, new Float64Array(genuineTotal)]));
  const impostor = new Map(SERIES.map((s) => [s, new Float64Array(Math.ceil(impostorTotal / every))]));
  let gi = 0;
  let ii = 0;
  let counter = 0;
  for (const fold of folds.values()) {
    for (const g of fold.galleries) {
      for (const probe of g.genuine) record(genuine, gi++, g.refs, probe);
      for (const probe of fold.probes) {
        if (probe.identity === g.identity) continue;
        if (counter++ % every === 0) record(impostor, ii++, g.refs, probe.embedding);
      }
    }
  }

  const scores = new Map<Series, SortedScores>();
  const rules = SERIES.map((rule): RuleFigures => {
    const sorted = sortScores(genuine.get(rule) as Float64Array, (impostor.get(rule) as Float64Array).subarray(0, ii));
    scores.set(rule, sorted);
    const label = `${set.name} (${path.basename(set.root)}), gallery of ${k}, ${rule}: ${sorted.genuine.length} genuine probes, ${sorted.impostor.length} impostor comparisons within folds`;
    return figures(rule, sorted, label, options.now);
  });
  const report: GalleryReport = {
    set: set.name,
    gallerySize: k,
    people: set.people.length,
    peopleWithGallery: [...folds.values()].reduce((n, f) => n + f.galleries.length, 0),
    images: usable.images,
    imagesSha256: usable.imagesSha256,
    selfieRules: options.selfieRules,
    unusable,
    impostorComparisons: ii,
    impostorSampledEvery: every,
    rules,
    ageWeighted: {
      measured: false,
      reason: 'the set carries no capture dates (LFW and the identity folders give none), so a reference\'s age cannot be weighed',
    },
  };
  return { report, scores };
}

/** Every rule's fused distance, and the first reference alone, of one probe against one gallery. */
function record(into: Map<Series, Float64Array>, at: number, refs: readonly Float32Array[], probe: Float32Array): void {
  const distances = refs.map((r) => euclideanDistance(probe, r));
  for (const rule of FUSION_RULES) (into.get(rule) as Float64Array)[at] = fuseDistances(distances, rule);
  (into.get('single-reference') as Float64Array)[at] = distances[0] as number;
}

function figures(rule: Series, scores: SortedScores, label: string, now: Date): RuleFigures {
  const canRate = scores.genuine.length > 0 && scores.impostor.length > 0;
  return {
    rule,
    genuine: scores.genuine.length,
    impostor: scores.impostor.length,
    eer: canRate ? round(equalErrorRate(scores).eer) : null,
    tarAtFar: FAR_TARGETS.map((far) => tarAtFar(scores, far)),
    calibration: proposeCalibration(scores, label, now),
  };
}

/** Each person's usable face embeddings in photo order, through the cache; unusable images by reason. */
async function embedAll(options: GalleryEvalOptions) {
  const cache = await EmbeddingCache.open(options.cacheDir, options.cacheKey);
  const total = options.set.people.reduce((n, p) => n + p.images.length, 0);
  const progress = new Progress(`gallery ${options.set.name}`, total, options.progress);
  const byIdentity = new Map<string, Float32Array[]>();
  const reasons: string[] = [];
  const hashes: string[] = [];
  const deps = { engine: options.engine, ops: options.ops, limits: options.limits, selfieRules: options.selfieRules };
  for (const person of options.set.people) {
    const faces: Float32Array[] = [];
    for (const image of person.images) {
      const { result, cached } = await cachedExtraction(cache, deps, image);
      progress.tick(cached ? undefined : result.timings.normalizeMs + result.timings.decodeMs + result.timings.inferenceMs);
      hashes.push(`${image.id}:${result.sha256}`);
      const subject = subjectFace(result, image, options.selfieRules);
      if (subject.face) faces.push(subject.face.embedding);
      else reasons.push(subject.reason);
    }
    byIdentity.set(person.identity, faces);
  }
  progress.finish();
  const imagesSha256 = createHash('sha256').update(hashes.sort().join('\n')).digest('hex');
  return { byIdentity, reasons, images: total, imagesSha256 };
}

const round = (n: number) => Math.round(n * 10_000) / 10_000;
