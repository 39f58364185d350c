/**
 * The PAD evaluation: measures every image through the production path, scores it with Human's antispoof net alone
 * and with the combined model, and reports ISO/IEC 30107-3 error rates at the operating points the decision uses.
 *
 * The combined model is fitted on the spoof set plus any extra bona fide folders (genuine photos from other cameras,
 * so that "not a NUAA webcam frame" does not read as "attack"), and scored leave-one-subject-out: no person's
 * images are ever scored by a model that saw them. Held-out bona fide folders never join the fit: the model fitted
 * on everything else (the calibration that is written) scores them, as production would score a stranger.
 */
import { assessLiveness, padFeatureVector, type PadCalibration, type PadFeature } from '../domain/liveness/passive-pad.js';
import type { PadSignals } from '../domain/liveness/pad-signals.js';
import { fitLogistic, predictLogistic } from './logistic.js';
import { bpcerAtApcer, equalErrorRate, errorCurve, operatingPoint, rocAuc, thresholdAtBpcer, type OperatingPoint, type ScoredSample } from './pad-metrics.js';
import type { PadFeatures } from './pad-features.js';
import type { SpoofSample } from './spoof-set.js';

export interface SpoofEvalSettings {
  /** BPCER at which the pass threshold is set (bona fide sent to review), at most this on every fitted bona fide source. */
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

/** Bona fide images outside the spoof set at the decision's thresholds. */
export interface BonaFideReport {
  readonly images: number;
  readonly subjects: number;
  /** Images without a face (not scored). */
  readonly fta: number;
  /** Share of scored images below the pass threshold (sent to review). */
  readonly bpcer: number;
  /** Share of scored images below the attack threshold (flagged as suspected attack). */
  readonly bpcerAttack: number;
  /** Scored images without colour (greyscale: a phone camera never delivers one, and the chroma cues read it as a print). */
  readonly greyscale: number;
  /** BPCER over the scored images in colour. */
  readonly bpcerColour: number;
  /** The scored images' scores. */
  readonly scores: readonly number[];
}

/** One held-out image's verdict under the written calibration. */
export interface HoldoutVerdict {
  readonly file: string;
  readonly score: number | null;
  readonly verdict: 'live' | 'uncertain' | 'attack' | 'no face';
}

export interface SpoofReport {
  readonly counts: { bona: number; attack: number; byType: Record<string, number>; ftaBona: number; ftaAttack: number };
  /** On the spoof set. */
  readonly antispoof: ScorerReport;
  /** On the spoof set, leave-one-subject-out, at the thresholds read off every fitted bona fide source. */
  readonly combined: ScorerReport & { readonly attack: OperatingPoint };
  /** Extra fitted bona fide folders, leave-one-subject-out; null when none were given. */
  readonly bonaFide: BonaFideReport | null;
  /** Held-out bona fide folders, scored by the written calibration; null when none were given. */
  readonly holdout: (BonaFideReport & { readonly verdicts: readonly HoldoutVerdict[] }) | null;
  readonly calibration: PadCalibration;
  readonly msPerImage: number;
}

/** Colourfulness (Hasler-Süsstrunk, ~15-100 on natural photos) at or under which a face counts as greyscale. */
const GREYSCALE_COLOURFULNESS = 1;

/** One image of the evaluation with what was measured on it (null: no face found). */
export interface Row {
  readonly sample: SpoofSample;
  readonly signals: PadSignals | null;
}

export function evaluatePad(set: readonly SpoofSample[], features: readonly PadFeatures[], settings: SpoofEvalSettings, provenance: string): SpoofReport {
  const rows: Row[] = set.map((sample, i) => ({ sample, signals: features[i]?.signals ?? null }));
  const spoofRows = rows.filter((r) => r.sample.group === 'spoof');
  const fitted = rows.filter((r) => r.sample.group !== 'holdout');
  const antispoofSamples = spoofRows.map((r) => scoredAs(r, r.signals?.antispoof ?? null));
  const cv = crossValidatedScores(fitted, settings.l2, settings.features);
  const fittedSamples = fitted.map((r, i) => scoredAs(r, cv[i] ?? null));
  const combinedSamples = fittedSamples.filter((_, i) => fitted[i]?.sample.group === 'spoof');

  const passScore = round(thresholdForEverySource(fitted, fittedSamples, settings.passBpcer));
  const attackScore = round(Math.min(passScore, thresholdForEverySource(fitted, fittedSamples, settings.attackBpcer)));
  const acquired = fitted.filter((r) => r.signals);
  const model = fitLogistic(acquired.map((r) => padFeatureVector(r.signals as PadSignals, settings.features)), acquired.map((r) => (r.sample.label === 'real' ? 1 : 0)), settings.l2);
  // Rounded as calibrationSource writes them, so the held-out verdicts below are those of the written file.
  const sig = (values: readonly number[]) => values.map((v) => Number(v.toPrecision(6)));
  const calibration: PadCalibration = {
    features: [...settings.features], mean: sig(model.mean), scale: sig(model.scale), weights: sig(model.weights),
    intercept: Number(model.intercept.toPrecision(6)), passScore, attackScore, provenance,
  };
  const antispoofPass = thresholdAtBpcer(antispoofSamples, settings.passBpcer);

  const extra = fitted.map((r, i) => ({ r, s: fittedSamples[i] as ScoredSample })).filter(({ r }) => r.sample.group === 'bona-fide');
  const held = rows.filter((r) => r.sample.group === 'holdout');
  const verdicts = calibratedVerdicts(held, calibration);
  return {
    counts: spoofCounts(spoofRows),
    antispoof: scorerReport('Human antispoof alone', antispoofSamples, antispoofPass),
    combined: { ...scorerReport('combined (leave-one-subject-out)', combinedSamples, passScore), attack: operatingPoint(combinedSamples, attackScore) },
    bonaFide: extra.length ? bonaFideReport(extra.map(({ r }) => r), extra.map(({ s }) => s.score), passScore, attackScore) : null,
    holdout: held.length ? { ...bonaFideReport(held, verdicts.map((v) => v.score), passScore, attackScore), verdicts } : null,
    calibration,
    msPerImage: msPerImage(features),
  };
}

/** A row as the metrics take it: the given score, or none when no face was found. */
export const scoredAs = (r: Row, score: number | null): ScoredSample =>
  ({ label: r.sample.label, attackType: r.sample.attackType, subject: r.sample.subject, score: r.signals ? score : null });

/** Bona fide and attack images of the spoof set, attacks by species, and those without a face. */
export function spoofCounts(spoofRows: readonly Row[]): SpoofReport['counts'] {
  const byType: Record<string, number> = {};
  for (const r of spoofRows) if (r.sample.attackType) byType[r.sample.attackType] = (byType[r.sample.attackType] ?? 0) + 1;
  return {
    bona: spoofRows.filter((r) => r.sample.label === 'real').length, attack: spoofRows.filter((r) => r.sample.label === 'attack').length, byType,
    ftaBona: spoofRows.filter((r) => r.sample.label === 'real' && !r.signals).length,
    ftaAttack: spoofRows.filter((r) => r.sample.label === 'attack' && !r.signals).length,
  };
}

/** Each image's verdict under a calibration, as the worker would give it. */
export function calibratedVerdicts(rows: readonly Row[], calibration: PadCalibration): HoldoutVerdict[] {
  return rows.map((r) => {
    if (!r.signals) return { file: r.sample.file, score: null, verdict: 'no face' };
    const a = assessLiveness(r.signals, calibration);
    return { file: r.sample.file, score: a.score, verdict: a.verdict };
  });
}

/** Mean measuring time over the images measured in this run (cached ones count 0 and are left out). */
export function msPerImage(features: readonly PadFeatures[]): number {
  const timed = features.filter((f) => f.ms > 0);
  return timed.reduce((s, f) => s + f.ms, 0) / Math.max(1, timed.length);
}

export function bonaFideReport(rows: readonly Row[], scores: readonly (number | null)[], passScore: number, attackScore: number): BonaFideReport {
  const scored = scores.filter((s): s is number => s !== null);
  const colour = scores.filter((s, i): s is number => s !== null && (rows[i]?.signals?.colourfulness ?? 0) > GREYSCALE_COLOURFULNESS);
  const below = (values: readonly number[], threshold: number) => values.filter((s) => s < threshold).length / Math.max(1, values.length);
  return {
    images: rows.length,
    subjects: new Set(rows.map((r) => r.sample.subject)).size,
    fta: scores.length - scored.length,
    bpcer: below(scored, passScore),
    bpcerAttack: below(scored, attackScore),
    greyscale: scored.length - colour.length,
    bpcerColour: below(colour, passScore),
    scores: scored,
  };
}

/**
 * The highest threshold at which no fitted bona fide source (the spoof set's bona fide, each extra folder) loses more
 * than `targetBpcer`: a pooled threshold would depend on how many images of each source were taken, and the easy
 * source (LFW's photos are far from NUAA's prints) would hide the hard one (NUAA's live webcam frames).
 */
function thresholdForEverySource(rows: readonly Row[], samples: readonly ScoredSample[], targetBpcer: number): number {
  const sources = [...new Set(rows.map((r) => r.sample.root))];
  const each = sources.map((root) => thresholdAtBpcer(samples.filter((_, i) => rows[i]?.sample.root === root), targetBpcer));
  return Math.min(...each.filter(Number.isFinite));
}

/** Each image scored by a model fitted without any image of its subject. */
function crossValidatedScores(rows: readonly Row[], l2: number, features: readonly PadFeature[]): (number | null)[] {
  const vectors = rows.map((r) => (r.signals ? padFeatureVector(r.signals, features) : null));
  const subjects = [...new Set(rows.map((r) => r.sample.subject))];
  const out: (number | null)[] = rows.map(() => null);
  for (const subject of subjects) {
    const train = rows.map((r, i) => ({ r, v: vectors[i] })).filter(({ r, v }) => v && r.sample.subject !== subject);
    const labels = train.map(({ r }) => (r.sample.label === 'real' ? 1 : 0));
    if (new Set(labels).size < 2) continue;
    const model = fitLogistic(train.map(({ v }) => v as number[]), labels, l2);
    rows.forEach((r, i) => {
      const v = vectors[i];
      // Rounded like assessLiveness, so thresholds read off these scores mean the same in production.
      if (r.sample.subject === subject && v) out[i] = round(predictLogistic(model, v));
    });
  }
  return out;
}

export function scorerReport(name: string, samples: ScoredSample[], threshold: number): ScorerReport {
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
  const bona = report.bonaFide;
  const held = report.holdout;
  return [
    `apcer=${fmt(c.pass.apcer)}`, `bpcer=${fmt(c.pass.bpcer)}`, ...types, `apcer_max=${fmt(c.pass.apcerMax)}`,
    `apcer_with_fta=${fmt(c.apcerWithFta)}`, `bpcer_at_apcer_print_5=${fmt(c.bpcerAtPrintApcer5)}`, `auc=${fmt(c.auc)}`, `eer=${fmt(c.eer)}`,
    `bpcer_bona_fide=${bona ? fmt(bona.bpcer) : 'NaN'}`, `bpcer_holdout=${held ? fmt(held.bpcer) : 'NaN'}`,
    `bpcer_holdout_attack=${held ? fmt(held.bpcerAttack) : 'NaN'}`, `bpcer_holdout_colour=${held ? fmt(held.bpcerColour) : 'NaN'}`,
    `antispoof_apcer=${fmt(report.antispoof.pass.apcer)}`, `antispoof_auc=${fmt(report.antispoof.auc)}`,
    `threshold=${fmt(c.pass.threshold)}`, `attack_threshold=${fmt(c.attack.threshold)}`,
    `fta_bona=${report.counts.ftaBona}`, `fta_attack=${report.counts.ftaAttack}`,
    `n_bona=${report.counts.bona}`, `n_attack=${report.counts.attack}`,
    `n_bona_fide_extra=${bona ? bona.images - bona.fta : 0}`, `n_holdout=${held ? held.images - held.fta : 0}`, `fta_holdout=${held?.fta ?? 0}`,
    `ms_per_image=${Math.round(report.msPerImage)}`,
  ].join(' ');
}

export const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(4) : 'NaN');
const round = (v: number) => (Number.isFinite(v) ? Math.round(v * 10_000) / 10_000 : v);
