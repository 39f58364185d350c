/**
 * How much a match against a document's printed portrait is worth: its real resolution on the page (pixels between
 * the eyes), sharpness, exposure and glare, measured with the selfie quality gate's own measures (ISO/IEC 29794-5
 * components, src/domain/quality) on the portrait as found on the upright page. A reviewer reads a "strong" match
 * against a 20-pixel, glared portrait differently from one against a sharp 80-pixel one.
 */
import type { Box, FaceFinding, RgbImage } from '../../engine/face-engine.js';
import { assessQuality } from '../quality/quality-assessment.js';
import type { QualityCode } from '../quality/quality-messages.js';
import type { QualityThresholds } from '../quality/quality-thresholds.js';

/** What limits a portrait, as stable codes (shown to reviewers; the app does not act on them). */
export const PORTRAIT_FINDINGS = ['PORTRAIT_LOW_RESOLUTION', 'PORTRAIT_BLURRY', 'PORTRAIT_GLARE', 'PORTRAIT_TOO_DARK', 'PORTRAIT_LOW_CONTRAST'] as const;
export type PortraitFinding = (typeof PORTRAIT_FINDINGS)[number];

/**
 * `good`: at least {@link GOOD_PORTRAIT_INTER_EYE_PX} between the eyes and nothing limits it; `fair`: usable but
 * small or imperfect; `poor`: under the selfie gate's minimum resolution, or blurred or glared: the match is weak
 * evidence whatever its score.
 */
export type PortraitGrade = 'good' | 'fair' | 'poor';

/** The document portrait as measured. Measures only: no pixels, no embedding. */
export interface DocumentPortrait {
  /**
   * Clockwise quarter turn applied to the photo before measuring (the MRZ's). Null: no MRZ said how the page lies,
   * so it was measured as photographed; on a sideways page the landmark-based measures (eye distance) are then
   * unreliable, as the landmark model does not follow a face lying on its side.
   */
  readonly rotationApplied: QuarterTurn | null;
  /** Face box on the upright page, in its pixels. */
  readonly box: Box;
  /** Detector confidence, 0-1. */
  readonly score: number;
  /** Pixels between the eye centres on the page: the portrait's real resolution, whatever the crop is scaled to. */
  readonly interEyePx: number;
  /** Face box height on the page, in pixels. */
  readonly faceHeightPx: number;
  /** Normalised Laplacian sharpness of the inner face (the selfie gate's measure and threshold). */
  readonly sharpness: number;
  /** Mean luma of the inner face, 0-255. */
  readonly luminanceMean: number;
  /** Luma standard deviation of the inner face. */
  readonly contrast: number;
  /** Share of inner-face pixels clipped bright: glare, a reflection, a hologram over the face. */
  readonly glare: number;
  /** Share of inner-face pixels clipped dark. */
  readonly dark: number;
  readonly findings: readonly PortraitFinding[];
  readonly grade: PortraitGrade;
}

/**
 * The ISO/IEC 19794-5 token face image puts 60 pixels between the eyes; the face models compare crops of about that
 * scale, so a portrait with more loses nothing to its print size.
 */
export const GOOD_PORTRAIT_INTER_EYE_PX = 60;

/** The selfie gate's findings that also describe a printed portrait; framing, pose and face count do not apply. */
const FROM_QUALITY: Partial<Record<QualityCode, PortraitFinding>> = {
  QUALITY_LOW_RESOLUTION: 'PORTRAIT_LOW_RESOLUTION',
  QUALITY_BLURRY: 'PORTRAIT_BLURRY',
  QUALITY_TOO_BRIGHT: 'PORTRAIT_GLARE',
  QUALITY_TOO_DARK: 'PORTRAIT_TOO_DARK',
  QUALITY_LOW_CONTRAST: 'PORTRAIT_LOW_CONTRAST',
};

export type QuarterTurn = 0 | 90 | 180 | 270;

/**
 * Measures the portrait `face` (found on `page`, landmarks in its pixels) against the quality thresholds;
 * `rotationApplied` is the turn that made the page upright, null when unknown.
 */
export function describePortrait(page: RgbImage, face: FaceFinding, thresholds: QualityThresholds, rotationApplied: QuarterTurn | null): DocumentPortrait {
  // Only this face is judged: the small "ghost" copy many documents print beside the portrait is no rival.
  const report = assessQuality(page, [face], thresholds);
  const c = report.components!;
  const findings = PORTRAIT_FINDINGS.filter((code) => report.findings.some((f) => FROM_QUALITY[f.code] === code));
  const limiting = findings.filter((f) => f !== 'PORTRAIT_LOW_CONTRAST');
  const grade: PortraitGrade = limiting.length > 0
    ? 'poor'
    : c.interEyePx >= GOOD_PORTRAIT_INTER_EYE_PX && findings.length === 0 ? 'good' : 'fair';
  return {
    rotationApplied,
    box: { x: round(face.box.x), y: round(face.box.y), width: round(face.box.width), height: round(face.box.height) },
    score: Math.round(face.score * 1000) / 1000,
    interEyePx: c.interEyePx,
    faceHeightPx: round(face.box.height),
    sharpness: c.sharpness,
    luminanceMean: c.luminanceMean,
    contrast: c.luminanceStdDev,
    glare: c.overExposed,
    dark: c.underExposed,
    findings,
    grade,
  };
}

const round = (v: number) => Math.round(v * 10) / 10;
