/**
 * Passive liveness: one score in [0, 1] from the PAD nets and the image cues of pad-signals.ts, combined by a
 * logistic model fitted on ../shared/datasets/spoof (scripts/eval-spoof.ts writes pad-calibration.ts), then read
 * against two thresholds: at or above `passScore` the face counts as live; below `attackScore` an attack is
 * suspected; in between the check is unsure. Neither failure rejects on its own (the nets are small and the cues
 * were fitted on 2010 webcam prints): both send the case to a person.
 */
import type { PadSignals } from './pad-signals.js';

/** The nets' outputs and the scalar image cues. */
export const BASE_PAD_FEATURES = ['antispoof', 'liveness', 'logSharpness', 'colourfulness', 'contrast', 'specular', 'logSpectralPeak', 'highFrequency'] as const;
/** Texture (LBP histogram bins) and chroma. */
export const TEXTURE_PAD_FEATURES = [
  'lbp0', 'lbp1', 'lbp2', 'lbp3', 'lbp4', 'lbp5', 'lbp6', 'lbp7', 'lbp8', 'lbp9',
  'fine0', 'fine1', 'fine2', 'fine3', 'fine4', 'fine5', 'fine6', 'fine7', 'fine8', 'fine9',
  'cbMean', 'crMean', 'cbStd', 'crStd',
] as const;
/** Every feature a calibration may use, in a fixed order. */
export const PAD_FEATURES = [...BASE_PAD_FEATURES, ...TEXTURE_PAD_FEATURES] as const;
export type PadFeature = (typeof PAD_FEATURES)[number];

/** A fitted logistic model over standardised features, with where it came from. */
export interface PadCalibration {
  readonly features: readonly PadFeature[];
  readonly mean: readonly number[];
  readonly scale: readonly number[];
  readonly weights: readonly number[];
  readonly intercept: number;
  /** At or above: live. Chosen at a measured bona fide refusal rate (BPCER). */
  readonly passScore: number;
  /** Below: attack suspected. */
  readonly attackScore: number;
  readonly provenance: string;
}

export type LivenessReason = 'PAD_ATTACK_SUSPECTED' | 'PAD_UNCERTAIN';

export interface LivenessAssessment {
  /** Probability-like score in [0, 1]; higher is more likely live. */
  readonly score: number;
  readonly verdict: 'live' | 'uncertain' | 'attack';
  readonly pass: boolean;
  readonly reasons: readonly LivenessReason[];
  readonly signals: PadSignals;
  readonly thresholds: { readonly pass: number; readonly attack: number };
}

/** The model's inputs for one face, transformed so that each is roughly symmetric. */
export function padFeatureVector(s: PadSignals, features: readonly PadFeature[] = PAD_FEATURES): number[] {
  const lbp = (k: number) => s.lbp[k] ?? 0;
  const fine = (k: number) => s.lbpFine[k] ?? 0;
  const all: Record<PadFeature, number> = {
    lbp0: lbp(0), lbp1: lbp(1), lbp2: lbp(2), lbp3: lbp(3), lbp4: lbp(4), lbp5: lbp(5), lbp6: lbp(6), lbp7: lbp(7), lbp8: lbp(8), lbp9: lbp(9),
    fine0: fine(0), fine1: fine(1), fine2: fine(2), fine3: fine(3), fine4: fine(4), fine5: fine(5), fine6: fine(6), fine7: fine(7), fine8: fine(8), fine9: fine(9),
    cbMean: s.chroma.cbMean, crMean: s.chroma.crMean, cbStd: s.chroma.cbStd, crStd: s.chroma.crStd,
    antispoof: logit(s.antispoof),
    liveness: logit(s.liveness),
    logSharpness: Math.log(s.sharpness + 1e-4),
    colourfulness: s.colourfulness,
    contrast: s.contrast,
    specular: s.specular,
    logSpectralPeak: Math.log(s.spectralPeak + 1e-6),
    highFrequency: s.highFrequency,
  };
  return features.map((f) => all[f]);
}

/** The model's score for one face. */
export function padScore(signals: PadSignals, c: PadCalibration): number {
  const x = padFeatureVector(signals, c.features);
  let z = c.intercept;
  x.forEach((v, k) => {
    z += (c.weights[k] as number) * ((v - (c.mean[k] as number)) / (c.scale[k] as number));
  });
  return 1 / (1 + Math.exp(-z));
}

/** Scores one face and reads the score against the calibration's thresholds. */
export function assessLiveness(signals: PadSignals, c: PadCalibration): LivenessAssessment {
  const score = Math.round(padScore(signals, c) * 10_000) / 10_000;
  const verdict = score >= c.passScore ? 'live' : score < c.attackScore ? 'attack' : 'uncertain';
  const reasons: LivenessReason[] = verdict === 'attack' ? ['PAD_ATTACK_SUSPECTED'] : verdict === 'uncertain' ? ['PAD_UNCERTAIN'] : [];
  return { score, verdict, pass: verdict === 'live', reasons, signals, thresholds: { pass: c.passScore, attack: c.attackScore } };
}

function logit(p: number): number {
  const q = Math.min(1 - 1e-4, Math.max(1e-4, p));
  return Math.log(q / (1 - q));
}
