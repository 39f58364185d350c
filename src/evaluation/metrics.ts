/**
 * Verification metrics on distance scores (lower = more alike, as the decision code reads Euclidean distances).
 * A pair is accepted at threshold t when its distance is <= t, exactly as decideMatch() does.
 *
 * Everything here is pure and works on sorted Float64Arrays, so that a million impostor pairs cost a sort and
 * binary searches, not a quadratic sweep.
 */

/** Genuine (same person) and impostor (different people) distances, each sorted ascending. */
export interface SortedScores {
  readonly genuine: Float64Array;
  readonly impostor: Float64Array;
}

/** Sorts both score lists ascending (copies; NaN is rejected because it would sort anywhere). */
export function sortScores(genuine: ArrayLike<number>, impostor: ArrayLike<number>): SortedScores {
  return { genuine: sortedCopy(genuine, 'genuine'), impostor: sortedCopy(impostor, 'impostor') };
}

function sortedCopy(values: ArrayLike<number>, label: string): Float64Array {
  const out = Float64Array.from(values);
  for (const v of out) if (Number.isNaN(v)) throw new RangeError(`${label} scores contain NaN`);
  return out.sort();
}

/** Number of values <= t in an ascending array. */
export function countAtOrBelow(sorted: Float64Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Error rates of one threshold. */
export interface OperatingPoint {
  readonly threshold: number;
  /** False accept rate: share of impostor pairs at or under the threshold. */
  readonly far: number;
  /** True accept rate: share of genuine pairs at or under the threshold (1 - FRR). */
  readonly tar: number;
  readonly frr: number;
  readonly falseAccepts: number;
  readonly falseRejects: number;
  readonly genuinePairs: number;
  readonly impostorPairs: number;
}

export function operatingPointAt(scores: SortedScores, threshold: number): OperatingPoint {
  const g = scores.genuine.length;
  const i = scores.impostor.length;
  const accepted = countAtOrBelow(scores.genuine, threshold);
  const falseAccepts = countAtOrBelow(scores.impostor, threshold);
  return {
    threshold,
    far: i ? falseAccepts / i : Number.NaN,
    tar: g ? accepted / g : Number.NaN,
    frr: g ? (g - accepted) / g : Number.NaN,
    falseAccepts,
    falseRejects: g - accepted,
    genuinePairs: g,
    impostorPairs: i,
  };
}

/** TAR at a target FAR, or why the data cannot say. */
export type TarAtFar =
  | (OperatingPoint & {
      readonly targetFar: number;
      readonly resolvable: true;
      /** 95 % Wilson interval of the TAR (genuine pairs are the trials). */
      readonly tarInterval95: readonly [number, number];
    })
  | {
      readonly targetFar: number;
      readonly resolvable: false;
      readonly impostorPairs: number;
      /** Impostor pairs needed before this FAR can be told apart from zero false accepts. */
      readonly impostorPairsNeeded: number;
      readonly reason: string;
    };

/**
 * The largest-TAR threshold whose measured FAR does not exceed `targetFar`.
 *
 * With N impostor pairs the smallest FAR step is 1/N, so a target below 1/N cannot be resolved: it is refused
 * rather than reported as the FAR of "zero false accepts", which would claim more than the data shows.
 * The threshold is placed halfway between the last impostor distance that may be accepted and the first that
 * must not, so that it does not sit on a measured point.
 */
export function tarAtFar(scores: SortedScores, targetFar: number): TarAtFar {
  if (!(targetFar > 0 && targetFar < 1)) throw new RangeError(`targetFar must be in (0, 1), got ${targetFar}`);
  const n = scores.impostor.length;
  const needed = Math.ceil(1 / targetFar - 1e-9);
  if (n < needed || scores.genuine.length === 0) {
    return {
      targetFar,
      resolvable: false,
      impostorPairs: n,
      impostorPairsNeeded: needed,
      reason: scores.genuine.length === 0
        ? 'no genuine pairs'
        : `FAR ${targetFar} needs at least ${needed} impostor pairs, the data has ${n}`,
    };
  }
  const allowed = Math.floor(targetFar * n + 1e-9);
  const threshold = thresholdBelow(scores.impostor, allowed);
  const point = operatingPointAt(scores, threshold);
  return { ...point, targetFar, resolvable: true, tarInterval95: wilsonInterval(point.genuinePairs - point.falseRejects, point.genuinePairs) };
}

/**
 * A threshold that accepts at most `allowed` of the ascending impostor distances: halfway between the largest
 * distance below the first rejected value and that value (ties at the boundary are all rejected).
 */
function thresholdBelow(impostor: Float64Array, allowed: number): number {
  if (allowed >= impostor.length) return impostor[impostor.length - 1] as number;
  const firstRejected = impostor[allowed] as number;
  const below = countBelow(impostor, firstRejected);
  if (below === 0) return firstRejected - Math.max(Math.abs(firstRejected) * 1e-9, 1e-12);
  return ((impostor[below - 1] as number) + firstRejected) / 2;
}

function countBelow(sorted: Float64Array, t: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Wilson score interval for a binomial proportion at 95 %. */
export function wilsonInterval(successes: number, trials: number): [number, number] {
  if (trials === 0) return [0, 1];
  const z = 1.959963984540054;
  const p = successes / trials;
  const denom = 1 + (z * z) / trials;
  const centre = (p + (z * z) / (2 * trials)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / trials + (z * z) / (4 * trials * trials))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Equal error rate: where FAR and FRR cross, with the threshold there. */
export interface EqualErrorRate {
  readonly eer: number;
  readonly threshold: number;
}

/**
 * Sweeps every distinct score as a threshold; at the step where FRR falls below FAR the EER is the mean of the two
 * rates on the side where they are closest (the usual discrete estimate).
 */
export function equalErrorRate(scores: SortedScores): EqualErrorRate {
  const { genuine, impostor } = scores;
  if (!genuine.length || !impostor.length) throw new RangeError('EER needs genuine and impostor scores');
  let best = { gap: Number.POSITIVE_INFINITY, eer: Number.NaN, threshold: Number.NaN };
  // Thresholds between distinct scores, plus one below all and one above all.
  for (const t of candidateThresholds(genuine, impostor)) {
    const far = countAtOrBelow(impostor, t) / impostor.length;
    const frr = (genuine.length - countAtOrBelow(genuine, t)) / genuine.length;
    const gap = Math.abs(far - frr);
    if (gap < best.gap) best = { gap, eer: (far + frr) / 2, threshold: t };
  }
  return { eer: best.eer, threshold: best.threshold };
}

/** Midpoints between consecutive distinct values of both lists, and one value beyond each end. */
export function* candidateThresholds(a: Float64Array, b: Float64Array): Generator<number> {
  const merged = mergeSorted(a, b);
  if (!merged.length) return;
  const first = merged[0] as number;
  yield first - Math.max(Math.abs(first) * 1e-9, 1e-12);
  for (let k = 0; k < merged.length; k++) {
    const v = merged[k] as number;
    const next = merged[k + 1];
    if (next === undefined) yield v;
    else if (next !== v) yield (v + next) / 2;
  }
}

function mergeSorted(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length || j < b.length) {
    if (j >= b.length || (i < a.length && (a[i] as number) <= (b[j] as number))) out[k++] = a[i++] as number;
    else out[k++] = b[j++] as number;
  }
  return out;
}

/**
 * Area under the ROC curve: the probability that a random genuine pair scores closer than a random impostor pair,
 * ties counting one half (Mann-Whitney U / (G * I)).
 */
export function areaUnderCurve(scores: SortedScores): number {
  const { genuine, impostor } = scores;
  if (!genuine.length || !impostor.length) throw new RangeError('AUC needs genuine and impostor scores');
  let sum = 0;
  for (const g of genuine) {
    const strictlyCloser = impostor.length - countAtOrBelow(impostor, g);
    const ties = countAtOrBelow(impostor, g) - countBelow(impostor, g);
    sum += strictlyCloser + ties / 2;
  }
  return sum / (genuine.length * impostor.length);
}

/** One point of a ROC / DET curve. */
export interface RocPoint {
  readonly threshold: number;
  readonly far: number;
  readonly tar: number;
}

/**
 * The ROC curve at every distinct threshold, thinned to at most `maxPoints` points spread evenly in log(FAR) and
 * in TAR so that both ends of the curve stay visible on a log axis.
 */
export function rocCurve(scores: SortedScores, maxPoints = 400): RocPoint[] {
  const points: RocPoint[] = [];
  for (const t of candidateThresholds(scores.genuine, scores.impostor)) {
    const p = operatingPointAt(scores, t);
    points.push({ threshold: t, far: p.far, tar: p.tar });
  }
  if (points.length <= maxPoints) return points;
  const keep = new Set<number>([0, points.length - 1]);
  const minFar = 1 / Math.max(1, scores.impostor.length);
  const bucket = (p: RocPoint) => {
    const logFar = Math.log10(Math.max(p.far, minFar / 10));
    return `${Math.round(logFar * (maxPoints / 16))}:${Math.round(p.tar * (maxPoints / 4))}`;
  };
  const seen = new Set<string>();
  points.forEach((p, k) => {
    const key = bucket(p);
    if (!seen.has(key)) {
      seen.add(key);
      keep.add(k);
    }
  });
  return [...keep].sort((x, y) => x - y).map((k) => points[k] as RocPoint);
}

/** Counts per equal-width bin over [min, max]; values outside are clamped into the end bins. */
export interface Histogram {
  readonly min: number;
  readonly max: number;
  readonly counts: readonly number[];
}

export function histogram(values: ArrayLike<number>, bins: number, min: number, max: number): Histogram {
  if (!(bins > 0 && max > min)) throw new RangeError('histogram needs bins > 0 and max > min');
  const counts = new Array<number>(bins).fill(0);
  const width = (max - min) / bins;
  for (let k = 0; k < values.length; k++) {
    const bin = Math.min(bins - 1, Math.max(0, Math.floor(((values[k] as number) - min) / width)));
    counts[bin] = (counts[bin] as number) + 1;
  }
  return { min, max, counts };
}
