/**
 * How a probe's distances to the references of one subject's gallery become one distance. The harness
 * (`npm run eval -- --gallery K`) measures every rule on the same probes; the decision uses the rule the
 * calibration names, with thresholds calibrated for that rule and that gallery size.
 */

/**
 * - `min`: the closest reference decides (what a single best match does; one close impostor reference suffices).
 * - `mean`: all references count alike; an outlier reference (poor light, an old document portrait) pulls the mean.
 * - `mean-best-2`: the mean of the two closest, which drops the worst references but still needs two to agree.
 */
export const FUSION_RULES = ['min', 'mean', 'mean-best-2'] as const;
export type FusionRule = (typeof FUSION_RULES)[number];

/** The fused distance; `distances` holds at least one value. */
export function fuseDistances(distances: readonly number[], rule: FusionRule): number {
  if (!distances.length) throw new RangeError('fusion needs at least one distance');
  if (rule === 'mean') return mean(distances);
  const sorted = [...distances].sort((a, b) => a - b);
  if (rule === 'min') return sorted[0] as number;
  return mean(sorted.slice(0, 2));
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
