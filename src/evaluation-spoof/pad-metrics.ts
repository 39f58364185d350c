/**
 * ISO/IEC 30107-3 error rates of a PAD score. A presentation is accepted as bona fide when its score is at or above
 * the threshold. APCER is the share of attack presentations accepted, per attack instrument species (PAI species)
 * and pooled; BPCER is the share of bona fide presentations refused. A presentation whose face was not found is a
 * failure to acquire (FTA): the PAD never saw it, so it is left out of APCER and BPCER and counted separately (in
 * the whole pipeline the quality gate rejects it).
 */

export interface ScoredSample {
  readonly label: 'real' | 'attack';
  readonly attackType: string | null;
  readonly subject: string;
  /** Higher = more likely live; null when no face was found (failure to acquire). */
  readonly score: number | null;
}

export interface OperatingPoint {
  readonly threshold: number;
  /** Pooled over every acquired attack. */
  readonly apcer: number;
  /** Per PAI species, with its count. */
  readonly apcerByType: Readonly<Record<string, { readonly apcer: number; readonly accepted: number; readonly count: number }>>;
  /** Worst species (ISO/IEC 30107-3's APCER of the system); species of one image make this coarse. */
  readonly apcerMax: number;
  readonly bpcer: number;
  /** Acquired presentations the rates are computed on. */
  readonly bona: number;
  readonly attacks: number;
  /** Failures to acquire (no face) among bona fide and attack presentations. */
  readonly ftaBona: number;
  readonly ftaAttack: number;
}

export function operatingPoint(samples: readonly ScoredSample[], threshold: number): OperatingPoint {
  const accepted = (s: ScoredSample) => s.score !== null && s.score >= threshold;
  const acquired = samples.filter((s) => s.score !== null);
  const bona = acquired.filter((s) => s.label === 'real');
  const attacks = acquired.filter((s) => s.label === 'attack');
  const byType: Record<string, { apcer: number; accepted: number; count: number }> = {};
  for (const a of attacks) {
    const type = a.attackType ?? 'unknown';
    const entry = (byType[type] ??= { apcer: 0, accepted: 0, count: 0 });
    entry.count++;
    if (accepted(a)) entry.accepted++;
  }
  for (const entry of Object.values(byType)) entry.apcer = entry.accepted / entry.count;
  return {
    threshold,
    apcer: share(attacks.filter(accepted).length, attacks.length),
    apcerByType: byType,
    apcerMax: Math.max(0, ...Object.values(byType).map((e) => e.apcer)),
    bpcer: share(bona.filter((s) => !accepted(s)).length, bona.length),
    bona: bona.length,
    attacks: attacks.length,
    ftaBona: samples.filter((s) => s.label === 'real' && s.score === null).length,
    ftaAttack: samples.filter((s) => s.label === 'attack' && s.score === null).length,
  };
}

/**
 * The highest threshold at which BPCER stays at or under `targetBpcer` (the strictest setting bona fide users can
 * bear); APCER at that threshold is the attack rate the system lets through.
 */
export function thresholdAtBpcer(samples: readonly ScoredSample[], targetBpcer: number): number {
  const scores = samples.filter((s) => s.label === 'real' && s.score !== null).map((s) => s.score as number).sort((a, b) => a - b);
  if (scores.length === 0) return -Infinity;
  // Refusing the k lowest-scoring bona fide gives BPCER k / n.
  const allowed = Math.floor(targetBpcer * scores.length + 1e-9);
  return scores[Math.min(allowed, scores.length - 1)] as number;
}

/** APCER (pooled or of one species) and BPCER over every distinct threshold, for a DET-style curve. */
export function errorCurve(samples: readonly ScoredSample[], attackType?: string): { threshold: number; apcer: number; bpcer: number }[] {
  const relevant = samples.filter((s) => s.label === 'real' || attackType === undefined || s.attackType === attackType);
  const thresholds = [...new Set(relevant.map((s) => s.score).filter((v): v is number => v !== null))].sort((a, b) => a - b);
  thresholds.push(Infinity);
  return thresholds.map((threshold) => {
    const point = operatingPoint(relevant, threshold);
    return { threshold, apcer: point.apcer, bpcer: point.bpcer };
  });
}

/** The equal error rate (APCER = BPCER) of a curve, interpolated between its nearest points. */
export function equalErrorRate(curve: readonly { apcer: number; bpcer: number }[]): number {
  let best = 1;
  for (const p of curve) best = Math.min(best, Math.max(p.apcer, p.bpcer));
  return best;
}

/** Area under the ROC (probability a random bona fide scores above a random attack); failures to acquire excluded. */
export function rocAuc(samples: readonly ScoredSample[]): number {
  const bona = samples.filter((s) => s.label === 'real' && s.score !== null).map((s) => s.score as number);
  const attack = samples.filter((s) => s.label === 'attack' && s.score !== null).map((s) => s.score as number);
  if (!bona.length || !attack.length) return Number.NaN;
  let wins = 0;
  for (const b of bona) for (const a of attack) wins += b > a ? 1 : b === a ? 0.5 : 0;
  return wins / (bona.length * attack.length);
}

const share = (k: number, n: number) => (n > 0 ? k / n : 0);

/** The lowest BPCER at which APCER (of one species, or pooled) is at or under `targetApcer`: the cost of the target. */
export function bpcerAtApcer(samples: readonly ScoredSample[], targetApcer: number, attackType?: string): { bpcer: number; threshold: number } {
  let best = { bpcer: 1, threshold: Infinity };
  for (const point of errorCurve(samples, attackType)) {
    if (point.apcer <= targetApcer && point.bpcer < best.bpcer) best = { bpcer: point.bpcer, threshold: point.threshold };
  }
  return best;
}
