/**
 * Geometry read from the 68 iBUG landmarks of one face: eye centres and inter-eye distance, head pose, eye and
 * mouth openness. Pure arithmetic on points, shared by the quality gate and by the active liveness challenge.
 *
 * Conventions (subject-centred, for an unmirrored photo, i.e. as a rear camera or an unmirrored front camera
 * delivers it): yaw > 0 when the person turns their head to their own left (the nose moves to the image's right);
 * pitch > 0 when they look up; roll > 0 when the head tilts counter-clockwise as seen in the image.
 */
import type { Box, Point } from '../../engine/face-engine.js';

/** Head pose in degrees. */
export interface HeadPose {
  readonly yaw: number;
  readonly pitch: number;
  readonly roll: number;
}

/** Everything the quality gate and the challenge read from one face's landmarks. */
export interface FaceGeometry {
  readonly leftEyeCentre: Point;
  readonly rightEyeCentre: Point;
  /** Distance between the eye centres in pixels (ISO/IEC 29794-5 inter-eye distance). */
  readonly interEyeDistance: number;
  readonly pose: HeadPose;
  /** Eye aspect ratio (Soukupová & Čech 2016) of each eye; about 0.25-0.35 open, under 0.15 closed. */
  readonly eyeOpenness: { readonly left: number; readonly right: number; readonly mean: number };
  /** Inner-lip height over mouth width: about 0-0.1 closed, over 0.3 clearly open. */
  readonly mouthOpenness: number;
  /** Extent of the landmarks (jaw, brows, chin), in image pixels. */
  readonly landmarkBox: Box;
}

// A generic head (the six-point model used by OpenCV's head-pose examples): x right, y up, z towards the camera,
// origin at the nose tip. Index = iBUG landmark it corresponds to.
const MODEL: readonly (readonly [number, readonly [number, number, number]])[] = [
  [30, [0, 0, 0]], // nose tip
  [8, [0, -330, -65]], // chin
  [36, [-225, 170, -135]], // outer corner of the eye on the image's left
  [45, [225, 170, -135]], // outer corner of the eye on the image's right
  [48, [-150, -150, -125]], // mouth corner, image left
  [54, [150, -150, -125]], // mouth corner, image right
];

const DEG = 180 / Math.PI;

/**
 * The generic head's mouth and chin sit a little deep for real faces, so a face looking straight at the camera reads
 * as pitched down: median raw pitch -4.4° on 332 LFW faces and about -11° on the identities photos. This offset
 * is added so that "looking straight" reads near 0.
 */
export const NEUTRAL_PITCH_OFFSET_DEG = 8;

/** Reads the geometry of one face. Throws when the landmarks are not the 68-point iBUG layout. */
export function faceGeometry(landmarks: readonly Point[]): FaceGeometry {
  if (landmarks.length !== 68) throw new RangeError(`expected 68 iBUG landmarks, got ${landmarks.length}`);
  const at = (i: number) => landmarks[i] as Point;
  const leftEyeCentre = centroid(landmarks.slice(36, 42));
  const rightEyeCentre = centroid(landmarks.slice(42, 48));
  const left = eyeAspectRatio(at(36), at(37), at(38), at(39), at(40), at(41));
  const right = eyeAspectRatio(at(42), at(43), at(44), at(45), at(46), at(47));
  const mouthWidth = distance(at(60), at(64));
  const lipGap = (distance(at(61), at(67)) + distance(at(62), at(66)) + distance(at(63), at(65))) / 3;
  const xs = landmarks.map((p) => p.x);
  const ys = landmarks.map((p) => p.y);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return {
    leftEyeCentre,
    rightEyeCentre,
    interEyeDistance: distance(leftEyeCentre, rightEyeCentre),
    pose: headPose(landmarks),
    eyeOpenness: { left, right, mean: (left + right) / 2 },
    mouthOpenness: mouthWidth > 0 ? lipGap / mouthWidth : 0,
    landmarkBox: { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y },
  };
}

/**
 * Head pose by fitting the generic head to six landmarks under scaled orthographic projection (an affine camera,
 * least squares), then reading Euler angles from the nearest rotation. Good to a few degrees near frontal, which
 * is what a quality gate and a "turn your head" challenge need; it is not a metrology-grade estimator.
 */
export function headPose(landmarks: readonly Point[]): HeadPose {
  const image = MODEL.map(([i]) => {
    const p = landmarks[i] as Point;
    return [p.x, -p.y] as const; // image y points down; the model's y points up
  });
  const model = MODEL.map(([, m]) => m);
  const n = model.length;
  const mc = [0, 1, 2].map((k) => model.reduce((s, m) => s + (m[k] as number), 0) / n);
  const ic = [0, 1].map((k) => image.reduce((s, p) => s + (p[k] as number), 0) / n);
  const X = model.map((m) => m.map((v, k) => v - (mc[k] as number)));
  const U = image.map((p) => p.map((v, k) => v - (ic[k] as number)));
  // M (2x3) = U^T X (X^T X)^-1
  const xtx = matMul(transpose(X), X);
  const utx = matMul(transpose(U), X);
  const m = matMul(utx, invert3(xtx));
  const r1 = normalise(m[0] as number[]);
  let r2 = m[1] as number[];
  r2 = normalise(r2.map((v, k) => v - dot(r1, r2) * (r1[k] as number))); // Gram-Schmidt
  const r3 = cross(r1, r2);
  // R = Ry(yaw) · Rx(pitch) · Rz(roll)  =>  R[1][2] = -sin(pitch), R[0][2]/R[2][2] = tan(yaw), R[1][0]/R[1][1] = tan(roll)
  const yaw = Math.atan2(r1[2] as number, r3[2] as number) * DEG;
  const pitch = Math.asin(clamp(-(r2[2] as number), -1, 1)) * DEG;
  const roll = Math.atan2(r2[0] as number, r2[1] as number) * DEG;
  // The model's "pitch about x" is positive when the face tips down; report "looking up" as positive.
  return { yaw: round1(yaw), pitch: round1(-pitch + NEUTRAL_PITCH_OFFSET_DEG), roll: round1(roll) };
}

function eyeAspectRatio(p1: Point, p2: Point, p3: Point, p4: Point, p5: Point, p6: Point): number {
  const width = distance(p1, p4);
  return width > 0 ? (distance(p2, p6) + distance(p3, p5)) / (2 * width) : 0;
}

export function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

function centroid(points: readonly Point[]): Point {
  return { x: points.reduce((s, p) => s + p.x, 0) / points.length, y: points.reduce((s, p) => s + p.y, 0) / points.length };
}

const round1 = (v: number) => Math.round(v * 10) / 10;
const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));
const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, k) => s + v * (b[k] as number), 0);

function normalise(v: readonly number[]): number[] {
  const norm = Math.hypot(...v);
  return v.map((x) => (norm > 0 ? x / norm : 0));
}

function cross(a: readonly number[], b: readonly number[]): number[] {
  const [a0, a1, a2] = a as [number, number, number];
  const [b0, b1, b2] = b as [number, number, number];
  return [a1 * b2 - a2 * b1, a2 * b0 - a0 * b2, a0 * b1 - a1 * b0];
}

function transpose(a: readonly (readonly number[])[]): number[][] {
  return (a[0] ?? []).map((_, j) => a.map((row) => row[j] as number));
}

function matMul(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): number[][] {
  return a.map((row) => (b[0] ?? []).map((_, j) => row.reduce((s, v, k) => s + v * ((b[k] as number[])[j] as number), 0)));
}

function invert3(m: readonly (readonly number[])[]): number[][] {
  const [[a, b, c], [d, e, f], [g, h, i]] = m as [[number, number, number], [number, number, number], [number, number, number]];
  const A = e * i - f * h;
  const B = -(d * i - f * g);
  const C = d * h - e * g;
  const det = a * A + b * B + c * C;
  if (Math.abs(det) < 1e-12) throw new RangeError('degenerate head model');
  return [
    [A / det, -(b * i - c * h) / det, (b * f - c * e) / det],
    [B / det, (a * i - c * g) / det, -(a * f - c * d) / det],
    [C / det, -(a * h - b * g) / det, (a * e - b * d) / det],
  ];
}
