/**
 * The numbers of one evaluation set: FTE, k-fold accuracy on the listed pairs, and EER / AUC / TAR at FAR on the
 * listed pairs and (where the set allows) on every pair within the folds, with a cross-validated check of the
 * FAR a threshold chosen on the other folds really gives on unseen people.
 */
import type { EvalSet } from './eval-set.js';
import { identitiesInSeveralFolds, kFoldAccuracy, type KFoldResult } from './k-fold.js';
import {
  areaUnderCurve, equalErrorRate, operatingPointAt, sortScores, tarAtFar,
  type OperatingPoint, type SortedScores, type TarAtFar,
} from './metrics.js';
import type { AllPairScores, FailureToEnrol, ScoredPair, SetScores } from './set-scores.js';

/** FAR targets every report states TAR at. */
export const FAR_TARGETS = [1e-2, 1e-3, 1e-4] as const;

export interface DistanceSummary {
  readonly count: number;
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

/** ROC summary of one score set. */
export interface ScoreSummary {
  readonly genuinePairs: number;
  readonly impostorPairs: number;
  readonly eer: number | null;
  readonly eerThreshold: number | null;
  readonly auc: number | null;
  readonly tarAtFar: readonly TarAtFar[];
  readonly genuine: DistanceSummary | null;
  readonly impostor: DistanceSummary | null;
}

/** A threshold chosen on all folds but one, measured on the one left out. */
export interface CrossValidatedFar {
  readonly targetFar: number;
  /** Folds where the training folds could resolve the target. */
  readonly folds: readonly { fold: number; threshold: number; far: number; tar: number; impostorPairs: number }[];
  /** Held-out false accepts over held-out impostor pairs, all folds pooled. */
  readonly pooledFar: number | null;
  readonly meanTar: number | null;
}

export interface SectionReport {
  readonly name: string;
  readonly description: string;
  readonly provenance: Readonly<Record<string, unknown>>;
  readonly images: number;
  readonly fte: FailureToEnrol;
  readonly fteWholeImage: FailureToEnrol | null;
  readonly pairs: { readonly total: number; readonly genuine: number; readonly impostor: number; readonly withoutFace: number };
  readonly kFold: KFoldResult | null;
  /** Identities that appear in more than one fold of the listed pairs (should be none). */
  readonly identityLeakage: readonly string[];
  /** Listed pairs where both images gave a face. */
  readonly listedPairs: ScoreSummary;
  readonly allPairs: (ScoreSummary & { readonly sampled: boolean; readonly crossValidated: readonly CrossValidatedFar[] }) | null;
  /** The verify / review thresholds in force, applied to the listed pairs (and all pairs when present). */
  readonly atThresholds: ThresholdOutcome | null;
  /** Genuine pairs with the largest distances and impostor pairs with the smallest, by image name. */
  readonly hardestPairs: { readonly genuine: readonly NamedDistance[]; readonly impostor: readonly NamedDistance[] };
}

export interface NamedDistance {
  readonly a: string;
  readonly b: string;
  readonly distance: number;
}

/** Thresholds to apply, and where they came from. */
export interface Thresholds {
  readonly verifyMaxDistance: number;
  readonly reviewMaxDistance: number;
  readonly source: string;
}

export interface ThresholdOutcome {
  readonly source: string;
  readonly verify: { readonly listed: OperatingPoint; readonly all: OperatingPoint | null };
  readonly review: { readonly listed: OperatingPoint; readonly all: OperatingPoint | null };
}

export function sectionReport(set: EvalSet, scores: SetScores, thresholds: Thresholds | null): SectionReport {
  const scored = scores.pairs.filter((p): p is ScoredPair & { distance: number } => p.distance !== null);
  const listed = sortScores(
    scored.filter((p) => p.same).map((p) => p.distance),
    scored.filter((p) => !p.same).map((p) => p.distance),
  );
  const all = scores.allPairs ? pooled(scores.allPairs) : null;
  const folds = new Set(scores.pairs.map((p) => p.fold)).size;
  return {
    name: set.name,
    description: set.description,
    provenance: set.provenance,
    images: set.images.size,
    fte: scores.fte,
    fteWholeImage: scores.fteWholeImage,
    pairs: {
      total: scores.pairs.length,
      genuine: scores.pairs.filter((p) => p.same).length,
      impostor: scores.pairs.filter((p) => !p.same).length,
      withoutFace: scores.pairs.length - scored.length,
    },
    kFold: folds >= 2 ? kFoldAccuracy(scores.pairs) : null,
    identityLeakage: identitiesInSeveralFolds(scores.pairs),
    listedPairs: summarise(listed),
    allPairs: all && scores.allPairs
      ? { ...summarise(all), sampled: scores.allPairs.sampled, crossValidated: FAR_TARGETS.map((f) => crossValidate(scores.allPairs as AllPairScores, f)) }
      : null,
    atThresholds: thresholds
      ? {
          source: thresholds.source,
          verify: { listed: operatingPointAt(listed, thresholds.verifyMaxDistance), all: all ? operatingPointAt(all, thresholds.verifyMaxDistance) : null },
          review: { listed: operatingPointAt(listed, thresholds.reviewMaxDistance), all: all ? operatingPointAt(all, thresholds.reviewMaxDistance) : null },
        }
      : null,
    hardestPairs: {
      genuine: scored.filter((p) => p.same).sort((x, y) => y.distance - x.distance).slice(0, 10).map(named),
      impostor: scored.filter((p) => !p.same).sort((x, y) => x.distance - y.distance).slice(0, 10).map(named),
    },
  };
}

/** All within-fold scores pooled over folds, sorted. */
export function pooled(all: AllPairScores): SortedScores {
  const concat = (parts: Float64Array[]) => {
    const out = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
    let offset = 0;
    for (const p of parts) {
      out.set(p, offset);
      offset += p.length;
    }
    return out.sort();
  };
  return { genuine: concat(all.byFold.map((f) => f.genuine)), impostor: concat(all.byFold.map((f) => f.impostor)) };
}

export function summarise(scores: SortedScores): ScoreSummary {
  const both = scores.genuine.length > 0 && scores.impostor.length > 0;
  const eer = both ? equalErrorRate(scores) : null;
  return {
    genuinePairs: scores.genuine.length,
    impostorPairs: scores.impostor.length,
    eer: eer?.eer ?? null,
    eerThreshold: eer?.threshold ?? null,
    auc: both ? areaUnderCurve(scores) : null,
    tarAtFar: FAR_TARGETS.map((f) => tarAtFar(scores, f)),
    genuine: distanceSummary(scores.genuine),
    impostor: distanceSummary(scores.impostor),
  };
}

function crossValidate(all: AllPairScores, targetFar: number): CrossValidatedFar {
  const folds: CrossValidatedFar['folds'][number][] = [];
  let falseAccepts = 0;
  let impostors = 0;
  for (const held of all.byFold) {
    const training = pooled({ ...all, byFold: all.byFold.filter((f) => f.fold !== held.fold) });
    const chosen = tarAtFar(training, targetFar);
    if (!chosen.resolvable) continue;
    const test = operatingPointAt({ genuine: held.genuine, impostor: held.impostor }, chosen.threshold);
    folds.push({ fold: held.fold, threshold: chosen.threshold, far: test.far, tar: test.tar, impostorPairs: test.impostorPairs });
    falseAccepts += test.falseAccepts;
    impostors += test.impostorPairs;
  }
  const tars = folds.map((f) => f.tar).filter((t) => !Number.isNaN(t));
  return {
    targetFar,
    folds,
    pooledFar: impostors ? falseAccepts / impostors : null,
    meanTar: tars.length ? tars.reduce((a, b) => a + b, 0) / tars.length : null,
  };
}

function distanceSummary(sorted: Float64Array): DistanceSummary | null {
  if (!sorted.length) return null;
  return {
    count: sorted.length,
    min: sorted[0] as number,
    median: sorted[Math.floor((sorted.length - 1) / 2)] as number,
    max: sorted[sorted.length - 1] as number,
  };
}

const named = (p: ScoredPair & { distance: number }): NamedDistance => ({ a: p.a, b: p.b, distance: p.distance });
