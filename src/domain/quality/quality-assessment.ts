/**
 * The capture-quality gate: from a decoded photo and the faces the engine found in it, the measures of
 * ISO/IEC 29794-5 (OFIQ) that a selfie for face comparison depends on, each compared with its threshold. The
 * result says pass or fail and lists findings, most important first, each with a stable code and a message the
 * app can show as it is. The same function runs in the synchronous quality check and in the worker.
 */
import type { Box, FaceFinding, RgbImage } from '../../engine/face-engine.js';
import { faceGeometry, type FaceGeometry } from './face-geometry.js';
import { grayRegion, luminanceStats, sharpness } from './image-measures.js';
import { QUALITY_MESSAGES, type Language, type Localised, type QualityCode } from './quality-messages.js';
import type { QualityThresholds } from './quality-thresholds.js';

/** 'fail' blocks the photo; 'warn' is advice that does not. */
export type Severity = 'fail' | 'warn';

export interface QualityFinding {
  readonly code: QualityCode;
  readonly severity: Severity;
  readonly message: Localised;
  /** The measured value that triggered the finding (units as in {@link QualityComponents}), if any. */
  readonly value: number | null;
  /** The threshold it was compared with. */
  readonly threshold: number | null;
}

/** The measured components (OFIQ names in brackets). Null when no face was found. */
export interface QualityComponents {
  /** Faces found, and how many count as rivals of the main one [single face present]. */
  readonly faceCount: number;
  /** Pixels between the eye centres [inter-eye distance]. */
  readonly interEyePx: number;
  /** Face height (brows to chin) over image height [head size]. */
  readonly faceHeightRatio: number;
  /** Share of the expected head region outside the image [head/face occlusion by frame]. */
  readonly outsideRatio: number;
  /** Mean luma of the face, 0-255 [luminance mean]. */
  readonly luminanceMean: number;
  /** Standard deviation of the face luma [luminance variance, as its square root]. */
  readonly luminanceStdDev: number;
  /** Share of face pixels clipped dark [under-exposure prevention]. */
  readonly underExposed: number;
  /** Share of face pixels clipped bright [over-exposure prevention]. */
  readonly overExposed: number;
  /** Normalised Laplacian variance at a fixed inter-eye distance [sharpness]. */
  readonly sharpness: number;
  /** Degrees [head pose yaw / pitch / roll]. */
  readonly yaw: number;
  readonly pitch: number;
  readonly roll: number;
  /** Mean eye aspect ratio [eyes open]. */
  readonly eyeOpenness: number;
  /** Inner-lip gap over mouth width [mouth closed]. */
  readonly mouthOpenness: number;
}

export interface QualityReport {
  /** True when no finding has severity 'fail'. */
  readonly pass: boolean;
  /** Most important first: the app may show only the first. */
  readonly findings: readonly QualityFinding[];
  readonly components: QualityComponents | null;
}

/** A report with every message in one language, as the API answers it. */
export interface LocalisedQualityReport {
  readonly pass: boolean;
  readonly language: Language;
  readonly findings: readonly { code: QualityCode; severity: Severity; message: string; value: number | null; threshold: number | null }[];
  readonly components: QualityComponents | null;
}

/** Sharpness is measured on the face resampled to this inter-eye distance (never enlarged past the original). */
export const SHARPNESS_IED_PX = 40;

/** Assesses one photo. `faces` as the engine returns them (any order); the largest is the one judged. */
export function assessQuality(image: RgbImage, faces: readonly FaceFinding[], t: QualityThresholds): QualityReport {
  const sorted = [...faces].sort((a, b) => area(b.box) - area(a.box));
  const main = sorted[0];
  if (!main) return { pass: false, findings: [finding('QUALITY_NO_FACE', 'fail', 0, 1)], components: null };
  const rivals = sorted.slice(1).filter((f) => area(f.box) >= t.rivalAreaRatio * area(main.box)).length;

  const geometry = faceGeometry(main.landmarks);
  const region = innerFace(main, geometry);
  const lum = luminanceStats(image, region);
  const scale = Math.min(1, SHARPNESS_IED_PX / Math.max(1, geometry.interEyeDistance));
  const components: QualityComponents = {
    faceCount: 1 + rivals,
    interEyePx: round(geometry.interEyeDistance, 1),
    faceHeightRatio: round(faceHeight(main, geometry) / image.height, 3),
    outsideRatio: round(outsideShare(headRegion(geometry), image), 3),
    luminanceMean: round(lum.mean, 1),
    luminanceStdDev: round(lum.stdDev, 1),
    underExposed: round(lum.underExposed, 3),
    overExposed: round(lum.overExposed, 3),
    sharpness: round(sharpness(grayRegion(image, region, scale)), 4),
    yaw: geometry.pose.yaw,
    pitch: geometry.pose.pitch,
    roll: geometry.pose.roll,
    eyeOpenness: round(geometry.eyeOpenness.mean, 3),
    mouthOpenness: round(geometry.mouthOpenness, 3),
  };
  const findings = judge(components, t);
  return { pass: !findings.some((f) => f.severity === 'fail'), findings, components };
}

/** Every check in the order the app should show them. */
function judge(c: QualityComponents, t: QualityThresholds): QualityFinding[] {
  const out: QualityFinding[] = [];
  const check = (failed: boolean, code: QualityCode, value: number, threshold: number, severity: Severity = 'fail') => {
    if (failed) out.push(finding(code, severity, value, threshold));
  };
  check(c.faceCount > 1, 'QUALITY_MULTIPLE_FACES', c.faceCount, 1);
  check(c.faceHeightRatio < t.minFaceHeightRatio, 'QUALITY_FACE_TOO_SMALL', c.faceHeightRatio, t.minFaceHeightRatio);
  check(c.faceHeightRatio > t.maxFaceHeightRatio, 'QUALITY_FACE_TOO_CLOSE', c.faceHeightRatio, t.maxFaceHeightRatio);
  check(c.faceHeightRatio <= t.maxFaceHeightRatio && c.outsideRatio > t.maxOutsideRatio, 'QUALITY_FACE_CUT_OFF', c.outsideRatio, t.maxOutsideRatio);
  check(c.interEyePx < t.minInterEyePx, 'QUALITY_LOW_RESOLUTION', c.interEyePx, t.minInterEyePx);
  if (c.luminanceMean < t.minLuminance) check(true, 'QUALITY_TOO_DARK', c.luminanceMean, t.minLuminance);
  else check(c.underExposed > t.maxUnderExposed, 'QUALITY_TOO_DARK', c.underExposed, t.maxUnderExposed);
  if (c.luminanceMean > t.maxLuminance) check(true, 'QUALITY_TOO_BRIGHT', c.luminanceMean, t.maxLuminance);
  else check(c.overExposed > t.maxOverExposed, 'QUALITY_TOO_BRIGHT', c.overExposed, t.maxOverExposed);
  // A face too small to measure sharpness on is already LOW_RESOLUTION; do not pile a second finding on it.
  check(c.interEyePx >= t.minInterEyePx && c.sharpness < t.minSharpness, 'QUALITY_BLURRY', c.sharpness, t.minSharpness);
  check(Math.abs(c.yaw) > t.maxYawDeg, 'QUALITY_HEAD_TURNED', c.yaw, t.maxYawDeg);
  check(Math.abs(c.roll) > t.maxRollDeg, 'QUALITY_HEAD_TILTED', c.roll, t.maxRollDeg);
  check(Math.abs(c.pitch) > t.maxPitchDeg, 'QUALITY_HEAD_PITCHED', c.pitch, t.maxPitchDeg);
  // Eye openness is read from landmarks; with the head turned far they are unreliable, so the pose finding stands alone.
  check(Math.abs(c.yaw) <= t.maxYawDeg && c.eyeOpenness < t.minEyeOpenness, 'QUALITY_EYES_CLOSED', c.eyeOpenness, t.minEyeOpenness);
  check(c.luminanceStdDev < t.minContrast && c.luminanceMean >= t.minLuminance, 'QUALITY_LOW_CONTRAST', c.luminanceStdDev, t.minContrast, 'warn');
  return out;
}

/** The report with messages in one language. */
export function localiseQuality(report: QualityReport, language: Language): LocalisedQualityReport {
  return {
    pass: report.pass,
    language,
    findings: report.findings.map((f) => ({ code: f.code, severity: f.severity, message: f.message[language], value: f.value, threshold: f.threshold })),
    components: report.components,
  };
}

function finding(code: QualityCode, severity: Severity, value: number | null, threshold: number | null): QualityFinding {
  return { code, severity, message: QUALITY_MESSAGES[code], value, threshold };
}

/** Brows to chin: the part of the head every camera angle shows. */
function faceHeight(face: FaceFinding, g: FaceGeometry): number {
  const browTop = Math.min(...face.landmarks.slice(17, 27).map((p) => p.y));
  const chin = face.landmarks[8]?.y ?? browTop;
  return Math.max(chin - browTop, g.interEyeDistance);
}

/** Cheek to cheek, brows to chin: where luminance and sharpness are measured (little background, no hair). */
function innerFace(face: FaceFinding, g: FaceGeometry): Box {
  const lm = face.landmarks;
  const xs = lm.slice(1, 16).map((p) => p.x);
  const top = Math.min(...lm.slice(17, 27).map((p) => p.y));
  const bottom = (lm[8]?.y ?? top + g.interEyeDistance);
  const left = Math.min(...xs);
  const right = Math.max(...xs);
  const inset = (right - left) * 0.08;
  return { x: left + inset, y: top, width: Math.max(1, right - left - 2 * inset), height: Math.max(1, bottom - top) };
}

/**
 * Where the head should be: the landmark extent with a forehead above the brows, joined with a box built from the
 * eyes alone (landmarks of a face cut by the frame are squeezed inside it; the eyes are the most reliable points).
 * Typical adult proportions: chin about 1.7 inter-eye distances below the eye line, forehead 1.0 above, cheeks
 * 1.1 to each side.
 */
function headRegion(g: FaceGeometry): Box {
  const lb = g.landmarkBox;
  const forehead = 0.3 * lb.height;
  const mid = { x: (g.leftEyeCentre.x + g.rightEyeCentre.x) / 2, y: (g.leftEyeCentre.y + g.rightEyeCentre.y) / 2 };
  const d = g.interEyeDistance;
  const x0 = Math.min(lb.x, mid.x - 1.1 * d);
  const x1 = Math.max(lb.x + lb.width, mid.x + 1.1 * d);
  const y0 = Math.min(lb.y - forehead, mid.y - 1.0 * d);
  const y1 = Math.max(lb.y + lb.height, mid.y + 1.7 * d);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

function outsideShare(box: Box, image: RgbImage): number {
  const ix = Math.max(0, Math.min(image.width, box.x + box.width) - Math.max(0, box.x));
  const iy = Math.max(0, Math.min(image.height, box.y + box.height) - Math.max(0, box.y));
  const total = box.width * box.height;
  return total > 0 ? 1 - (ix * iy) / total : 1;
}

const area = (b: Box) => b.width * b.height;
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
