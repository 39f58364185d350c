/**
 * The LFW-style k-fold protocol: for each fold, the accept threshold is the one that maximises accuracy on the
 * other folds, and accuracy is measured on the held-out fold. Folds must not share identities, otherwise the
 * threshold is tuned on the very people it is tested on; {@link identitiesInSeveralFolds} checks that.
 */
import { createHash } from 'node:crypto';

/** One labelled pair. `distance` is null when either image gave no usable face: the system would not accept it. */
export interface FoldPair {
  readonly fold: number;
  readonly same: boolean;
  readonly distance: number | null;
  /** Identities on both sides, for the leakage check. */
  readonly identities: readonly [string, string];
}

/** Accuracy of the rule "same person when distance <= threshold"; pairs without a distance count as "different". */
export function accuracyAt(pairs: readonly FoldPair[], threshold: number): number {
  if (!pairs.length) return Number.NaN;
  let correct = 0;
  for (const p of pairs) {
    const accepted = p.distance !== null && p.distance <= threshold;
    if (accepted === p.same) correct++;
  }
  return correct / pairs.length;
}

/**
 * The threshold with the best accuracy on `pairs`: every midpoint between consecutive distinct distances is tried
 * (plus one below all and one above all); among equally good thresholds the middle one of the best run is taken,
 * which keeps the choice away from the edge of the training data.
 */
export function bestAccuracyThreshold(pairs: readonly FoldPair[]): { threshold: number; accuracy: number } {
  const scored = pairs.filter((p): p is FoldPair & { distance: number } => p.distance !== null);
  if (!scored.length) return { threshold: 0, accuracy: accuracyAt(pairs, 0) };
  scored.sort((a, b) => a.distance - b.distance);
  const unscoredDifferent = pairs.filter((p) => p.distance === null && !p.same).length;
  // Accept nothing: correct = impostors among scored + unscored impostors.
  let correct = scored.filter((p) => !p.same).length + unscoredDifferent;
  const candidates: { threshold: number; correct: number }[] = [
    { threshold: (scored[0] as { distance: number }).distance - 1e-6, correct },
  ];
  for (let k = 0; k < scored.length; k++) {
    const p = scored[k] as FoldPair & { distance: number };
    correct += p.same ? 1 : -1;
    const next = scored[k + 1];
    if (next && next.distance === p.distance) continue;
    candidates.push({ threshold: next ? (p.distance + next.distance) / 2 : p.distance + 1e-6, correct });
  }
  // A loop, not Math.max(...): a large set has millions of candidates, more than a call's arguments may hold.
  let best = -Infinity;
  for (const c of candidates) if (c.correct > best) best = c.correct;
  const bestRun = candidates.filter((c) => c.correct === best);
  const chosen = bestRun[Math.floor((bestRun.length - 1) / 2)] as { threshold: number; correct: number };
  return { threshold: chosen.threshold, accuracy: chosen.correct / pairs.length };
}

/** Result of {@link kFoldAccuracy}. */
export interface KFoldResult {
  readonly folds: readonly { fold: number; threshold: number; accuracy: number; pairs: number }[];
  readonly mean: number;
  /** Sample standard deviation of the per-fold accuracies. */
  readonly std: number;
  /** Standard error of the mean (std / sqrt(k)), as the LFW protocol reports it. */
  readonly standardError: number;
}

export function kFoldAccuracy(pairs: readonly FoldPair[]): KFoldResult {
  const foldIds = [...new Set(pairs.map((p) => p.fold))].sort((a, b) => a - b);
  if (foldIds.length < 2) throw new RangeError('k-fold accuracy needs at least two folds');
  const folds = foldIds.map((fold) => {
    const test = pairs.filter((p) => p.fold === fold);
    const { threshold } = bestAccuracyThreshold(pairs.filter((p) => p.fold !== fold));
    return { fold, threshold, accuracy: accuracyAt(test, threshold), pairs: test.length };
  });
  const accuracies = folds.map((f) => f.accuracy);
  const mean = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
  const variance = accuracies.reduce((a, b) => a + (b - mean) ** 2, 0) / (accuracies.length - 1);
  const std = Math.sqrt(variance);
  return { folds, mean, std, standardError: std / Math.sqrt(accuracies.length) };
}

/** Identities that occur in more than one fold (an empty list means no leakage between folds). */
export function identitiesInSeveralFolds(pairs: readonly FoldPair[]): string[] {
  const foldsOf = new Map<string, Set<number>>();
  for (const p of pairs) {
    for (const id of p.identities) {
      const set = foldsOf.get(id) ?? new Set<number>();
      set.add(p.fold);
      foldsOf.set(id, set);
    }
  }
  return [...foldsOf].filter(([, folds]) => folds.size > 1).map(([id]) => id).sort();
}

/**
 * Deals identities into k folds, deterministically (in the order of a hash of the name, so that the folds do not
 * follow alphabetical or source order) and as evenly as possible: fold sizes differ by at most one identity.
 */
export function assignIdentityFolds(identities: readonly string[], k: number): Map<string, number> {
  if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`k must be a positive integer, got ${k}`);
  const ordered = [...new Set(identities)].sort((a, b) => hashOf(a).localeCompare(hashOf(b)) || a.localeCompare(b));
  return new Map(ordered.map((id, index) => [id, index % k]));
}

const hashOf = (s: string) => createHash('sha256').update(s).digest('hex');
