import type { Box, FaceEngine, FaceFinding, RgbImage } from '../../engine/face-engine.js';
import type { ImageFinding } from '../submissions/submission.js';
import { chooseDocumentPortrait, chooseSelfieFace, type SelfieRules } from './face-selection.js';

/** Image operations the analysis needs (sharp in production), passed in to keep this module pure. */
export interface ImageOps {
  decodeRgb(image: Uint8Array): Promise<RgbImage>;
  cropRgb(image: Uint8Array, region: Box, targetSide: number): Promise<{ rgb: RgbImage; left: number; top: number; scale: number }>;
}

export interface FaceAnalysis {
  readonly finding: ImageFinding;
  /** The face to compare, or null with the reason it could not be used. */
  readonly face: FaceFinding | null;
  readonly reason: string | null;
  readonly timings: { decodeMs: number; inferenceMs: number };
  /** The decoded picture and every face in it, for the quality and liveness checks; not kept beyond the job. */
  readonly image: { readonly rgb: RgbImage; readonly faces: readonly FaceFinding[] };
}

const round = (n: number) => Math.round(n * 10) / 10;
const roundScore = (n: number) => Math.round(n * 1000) / 1000;
const roundBox = (b: Box): Box => ({ x: round(b.x), y: round(b.y), width: round(b.width), height: round(b.height) });

export async function analyseSelfie(engine: FaceEngine, ops: ImageOps, jpeg: Uint8Array, rules: SelfieRules): Promise<FaceAnalysis> {
  const t0 = performance.now();
  const rgb = await ops.decodeRgb(jpeg);
  const t1 = performance.now();
  const faces = await engine.detectFaces(rgb);
  const t2 = performance.now();
  const choice = chooseSelfieFace(faces, rules);
  const face = choice.ok ? choice.face : null;
  return {
    finding: {
      role: 'selfie', width: rgb.width, height: rgb.height, facesDetected: faces.length,
      face: face ? { box: roundBox(face.box), score: roundScore(face.score) } : null,
    },
    face,
    reason: choice.ok ? null : choice.reason,
    timings: { decodeMs: t1 - t0, inferenceMs: t2 - t1 },
    image: { rgb, faces },
  };
}

// Printed portraits are small: the face is re-detected on an enlarged crop so that landmarks and
// the embedding see enough pixels. Margin and size chosen so the crop resembles a selfie framing.
const PORTRAIT_MARGIN = 0.6;
const PORTRAIT_CROP_SIDE = 480;

export async function analyseDocument(engine: FaceEngine, ops: ImageOps, jpeg: Uint8Array): Promise<FaceAnalysis> {
  const t0 = performance.now();
  const rgb = await ops.decodeRgb(jpeg);
  const t1 = performance.now();
  let faces = await engine.detectFaces(rgb);
  let found = chooseDocumentPortrait(faces);
  // Coloured guilloche and holograms can hide a printed face from the detector; a grey copy of the page takes their
  // colour contrast away (docs/ACCURACY.md: 58 of 60 specimen portraits found instead of 53). Only as a fallback:
  // on every page it cost one genuine pair of 156.
  if (!found) {
    const grey = await engine.detectFaces(greyCopy(rgb));
    found = chooseDocumentPortrait(grey);
    if (found) faces = grey;
  }
  let face = found;
  if (found) {
    const { box } = found;
    const region = {
      x: box.x - box.width * PORTRAIT_MARGIN, y: box.y - box.height * PORTRAIT_MARGIN,
      width: box.width * (1 + 2 * PORTRAIT_MARGIN), height: box.height * (1 + 2 * PORTRAIT_MARGIN),
    };
    const crop = await ops.cropRgb(jpeg, region, PORTRAIT_CROP_SIDE);
    const refined = chooseDocumentPortrait(await engine.detectFaces(crop.rgb));
    // Keep the embedding from the enlarged crop but report the box in page coordinates.
    if (refined) face = { ...refined, box: toPage(refined.box, crop), landmarks: refined.landmarks.map((p) => ({ x: crop.left + p.x / crop.scale, y: crop.top + p.y / crop.scale })) };
  }
  const t2 = performance.now();
  return {
    finding: {
      role: 'document', width: rgb.width, height: rgb.height, facesDetected: faces.length,
      face: face ? { box: roundBox(face.box), score: roundScore(face.score) } : null,
    },
    face,
    reason: face ? null : 'DOCUMENT_PORTRAIT_NOT_FOUND',
    timings: { decodeMs: t1 - t0, inferenceMs: t2 - t1 },
    image: { rgb, faces },
  };
}

/** A challenge frame: decoded and every face found; which face counts is the challenge check's business. */
export async function analyseFrame(engine: FaceEngine, ops: ImageOps, jpeg: Uint8Array): Promise<FaceAnalysis['image']> {
  const rgb = await ops.decodeRgb(jpeg);
  return { rgb, faces: await engine.detectFaces(rgb) };
}

/** The same picture with every pixel set to its BT.601 luma. */
export function greyCopy(rgb: RgbImage): RgbImage {
  const data = new Uint8Array(rgb.data.length);
  for (let i = 0; i < data.length; i += 3) {
    const y = Math.round(0.299 * rgb.data[i]! + 0.587 * rgb.data[i + 1]! + 0.114 * rgb.data[i + 2]!);
    data[i] = y;
    data[i + 1] = y;
    data[i + 2] = y;
  }
  return { data, width: rgb.width, height: rgb.height };
}

function toPage(box: Box, crop: { left: number; top: number; scale: number }): Box {
  return { x: crop.left + box.x / crop.scale, y: crop.top + box.y / crop.scale, width: box.width / crop.scale, height: box.height / crop.scale };
}
