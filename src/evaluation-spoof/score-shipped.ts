/**
 * The PAD model in force, scored as shipped (`--score-only`): no fit, no threshold read off the set. What a new
 * attack set says about the calibration the workers use, with the error rates at its own pass and attack thresholds.
 * Every genuine folder given beside the spoof set (--bona-fide, --holdout-bona-fide) is scored the same way.
 */
import { assessLiveness, type PadCalibration } from '../domain/liveness/passive-pad.js';
import type { PadFeatures } from './pad-features.js';
import { operatingPoint, type OperatingPoint } from './pad-metrics.js';
import {
  bonaFideReport, calibratedVerdicts, fmt, msPerImage, scoredAs, scorerReport, spoofCounts,
  type BonaFideReport, type HoldoutVerdict, type Row, type ScorerReport, type SpoofReport,
} from './run-spoof-eval.js';
import type { SpoofSample } from './spoof-set.js';

export interface ShippedScoreReport {
  readonly counts: SpoofReport['counts'];
  /** The spoof set at the calibration's pass threshold (`pass`) and attack threshold (`attack`). */
  readonly shipped: ScorerReport & { readonly attack: OperatingPoint };
  /** Genuine photos outside the spoof set; null when none were given. */
  readonly bonaFide: (BonaFideReport & { readonly verdicts: readonly HoldoutVerdict[] }) | null;
  /** The calibration scored with: where it came from and its thresholds (unchanged). */
  readonly calibration: { readonly provenance: string; readonly passScore: number; readonly attackScore: number };
  readonly msPerImage: number;
}

export function scoreShippedPad(set: readonly SpoofSample[], features: readonly PadFeatures[], calibration: PadCalibration): ShippedScoreReport {
  const rows: Row[] = set.map((sample, i) => ({ sample, signals: features[i]?.signals ?? null }));
  const spoofRows = rows.filter((r) => r.sample.group === 'spoof');
  const others = rows.filter((r) => r.sample.group !== 'spoof');
  const { passScore, attackScore } = calibration;
  const samples = spoofRows.map((r) => scoredAs(r, r.signals ? assessLiveness(r.signals, calibration).score : null));
  const verdicts = calibratedVerdicts(others, calibration);
  return {
    counts: spoofCounts(spoofRows),
    shipped: { ...scorerReport('shipped calibration', samples, passScore), attack: operatingPoint(samples, attackScore) },
    bonaFide: others.length ? { ...bonaFideReport(others, verdicts.map((v) => v.score), passScore, attackScore), verdicts } : null,
    calibration: { provenance: calibration.provenance, passScore, attackScore },
    msPerImage: msPerImage(features),
  };
}

/** The last stdout line of `--score-only`: key=value pairs, APCER and BPCER at the shipped pass threshold first. */
export function scoreOnlySummaryLine(report: ShippedScoreReport): string {
  const s = report.shipped;
  const bona = report.bonaFide;
  return [
    `apcer=${fmt(s.pass.apcer)}`, `bpcer=${fmt(s.pass.bpcer)}`,
    ...Object.entries(s.pass.apcerByType).map(([type, e]) => `apcer_${type}=${fmt(e.apcer)}`), `apcer_max=${fmt(s.pass.apcerMax)}`,
    `apcer_with_fta=${fmt(s.apcerWithFta)}`, `attack_apcer=${fmt(s.attack.apcer)}`, `attack_bpcer=${fmt(s.attack.bpcer)}`,
    `auc=${fmt(s.auc)}`, `eer=${fmt(s.eer)}`, `bpcer_bona_fide=${bona ? fmt(bona.bpcer) : 'NaN'}`,
    `threshold=${fmt(s.pass.threshold)}`, `attack_threshold=${fmt(s.attack.threshold)}`,
    `fta_bona=${report.counts.ftaBona}`, `fta_attack=${report.counts.ftaAttack}`, `n_bona=${report.counts.bona}`, `n_attack=${report.counts.attack}`,
    `n_bona_fide_extra=${bona ? bona.images - bona.fta : 0}`, `ms_per_image=${Math.round(report.msPerImage)}`,
  ].join(' ');
}
