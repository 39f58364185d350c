/**
 * The PAD evaluation: measures every image of a spoof set through the production path, scores it with Human's
 * antispoof net alone and with the combined model, and reports ISO/IEC 30107-3 error rates at the operating points
 * the decision uses. The combined model is fitted and scored subject-disjointly (leave one subject out: no person's
 * images are ever scored by a model that saw them), so its figures estimate unseen people, not a memorised set.
 */
import { padFeatureVector, type PadCalibration, type PadFeature } from '../domain/liveness/passive-pad.js';
import type { PadSignals } from '../domain/liveness/pad-signals.js';
import { fitLogistic, predictLogistic } from './logistic.js';
import { bpcerAtApcer, equalErrorRate, errorCurve, operatingPoint, rocAuc, thresholdAtBpcer, type OperatingPoint, type ScoredSample } from './pad-metrics.js';
import type { PadFeatures } from './pad-features.js';
import type { SpoofSample } from './spoof-set.js';

export interface SpoofEvalSettings {
  /** BPCER at which the pass threshold is set (bona fide sent to review). */
  readonly passBpcer: number;
  /** BPCER at which the attack threshold is set (bona fide flagged as suspected attack). */
  readonly attackBpcer: number;
  /** L2 strength of the logistic fit. */
  readonly l2: number;
  /** Features of the combined model. */
  readonly features: readonly PadFeature[];
}

export interface ScorerReport {
  readonly name: string;
  readonly auc: number;
  readonly eer: number;
  readonly pass: OperatingPoint;
  /** APCER of the whole pipeline: attacks whose face was not found count as refused (the quality gate rejects them). */
  readonly apcerWithFta: number;
  /** What the target would cost: the BPCER at which print APCER falls to 5 %. */
  readonly bpcerAtPrintApcer5: number;
  readonly samples: readonly ScoredSample[];
}

export interface SpoofReport {
  readonly counts: { bona: number; attack: number; byType: Record<string, number>; ftaBona: number; ftaAttack: number };
  readonly antispoof: ScorerReport;
  readonly combined: ScorerReport & { readonly attack: OperatingPoint };
  readonly calibration: PadCalibration;
  readonly msPerImage: number;
}

export function evaluatePad(set: readonly SpoofSample[], features: readonly PadFeatures[], settings: SpoofEvalSettings, provenance: string): SpoofReport {
  const byFile = new Map(features.map((f) => [f.file, f]));
  const rows = set.map((sample) => ({ sample, signals: byFile.get(sample.file)?.signals ?? null }));
  const scored = (score: (s: PadSignals, i: number) => number): ScoredSample[] =>
    rows.map((r, i) => ({ label: r.sample.label, attackType: r.sample.attackType, subject: r.sample.subject, score: r.signals ? score(r.signals, i) : null }));

  const antispoofSamples = scored((s) => s.antispoof);
  const cv = crossValidatedScores(rows, settings.l2, settings.features);
  const combinedSamples = scored((_, i) => cv[i] as number);

  const passScore = thresholdAtBpcer(combinedSamples, settings.passBpcer);
  const attackScore = Math.min(passScore, thresholdAtBpcer(combinedSamples, settings.attackBpcer));
  const acquired = rows.filter((r) => r.signals);
  const model = fitLogistic(acquired.map((r) => padFeatureVector(r.signals as PadSignals, settings.features)), acquired.map((r) => (r.sample.label === 'real' ? 1 : 0)), settings.l2);
  const calibration: PadCalibration = {
    features: [...settings.features], mean: model.mean, scale: model.scale, weights: model.weights, intercept: model.intercept,
    passScore: round(passScore), attackScore: round(attackScore), provenance,
  };
  const antispoofPass = thresholdAtBpcer(antispoofSamples, settings.passBpcer);
  const byType: Record<string, number> = {};
  for (const s of set) if (s.attackType) byType[s.attackType] = (byType[s.attackType] ?? 0) + 1;
  const timed = features.filter((f) => f.ms > 0);
  return {
    counts: {
      bona: set.filter((s) => s.label === 'real').length, attack: set.filter((s) => s.label === 'attack').length, byType,
      ftaBona: rows.filter((r) => r.sample.label === 'real' && !r.signals).length,
      ftaAttack: rows.filter((r) => r.sample.label === 'attack' && !r.signals).length,
    },
    antispoof: scorerReport('Human antispoof alone', antispoofSamples, antispoofPass),
    combined: { ...scorerReport('combined (leave-one-subject-out)', combinedSamples, passScore), attack: operatingPoint(combinedSamples, attackScore) },
    calibration,
    msPerImage: timed.reduce((s, f) => s + f.ms, 0) / Math.max(1, timed.length),
  };
}

/** Each image scored by a model fitted without any image of its subject. */
function crossValidatedScores(rows: readonly { sample: SpoofSample; signals: PadSignals | null }[], l2: number, features: readonly PadFeature[]): (number | null)[] {
  const subjects = [...new Set(rows.map((r) => r.sample.subject))];
  const out: (number | null)[] = rows.map(() => null);
  for (const subject of subjects) {
    const train = rows.filter((r) => r.signals && r.sample.subject !== subject);
    const labels = train.map((r) => (r.sample.label === 'real' ? 1 : 0));
    if (new Set(labels).size < 2) continue;
    const model = fitLogistic(train.map((r) => padFeatureVector(r.signals as PadSignals, features)), labels, l2);
    rows.forEach((r, i) => {
      if (r.sample.subject === subject && r.signals) out[i] = predictLogistic(model, padFeatureVector(r.signals, features));
    });
  }
  return out;
}

function scorerReport(name: string, samples: ScoredSample[], threshold: number): ScorerReport {
  const pass = operatingPoint(samples, threshold);
  const attacks = samples.filter((s) => s.label === 'attack');
  return {
    name, samples, pass,
    auc: rocAuc(samples),
    eer: equalErrorRate(errorCurve(samples)),
    apcerWithFta: attacks.filter((s) => s.score !== null && s.score >= threshold).length / Math.max(1, attacks.length),
    bpcerAtPrintApcer5: bpcerAtApcer(samples, 0.05, 'print').bpcer,
  };
}

/** The last stdout line: key=value pairs, overall figures at the decision's operating point first. */
export function spoofSummaryLine(report: SpoofReport): string {
  const c = report.combined;
  const types = Object.entries(c.pass.apcerByType).map(([type, e]) => `apcer_${type}=${fmt(e.apcer)}`);
  if (!c.pass.apcerByType['print']) types.unshift('apcer_print=NaN');
  return [
    `apcer=${fmt(c.pass.apcer)}`, `bpcer=${fmt(c.pass.bpcer)}`, ...types, `apcer_max=${fmt(c.pass.apcerMax)}`,
    `apcer_with_fta=${fmt(c.apcerWithFta)}`, `bpcer_at_apcer_print_5=${fmt(c.bpcerAtPrintApcer5)}`, `auc=${fmt(c.auc)}`, `eer=${fmt(c.eer)}`,
    `antispoof_apcer=${fmt(report.antispoof.pass.apcer)}`, `antispoof_auc=${fmt(report.antispoof.auc)}`,
    `threshold=${fmt(c.pass.threshold)}`, `fta_bona=${report.counts.ftaBona}`, `fta_attack=${report.counts.ftaAttack}`,
    `n_bona=${report.counts.bona}`, `n_attack=${report.counts.attack}`, `ms_per_image=${Math.round(report.msPerImage)}`,
  ].join(' ');
}

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : 'NaN');
const round = (v: number) => (Number.isFinite(v) ? Math.round(v * 10_000) / 10_000 : v);
