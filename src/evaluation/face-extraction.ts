/**
 * One image through the workers' own code path: the upload check and normalisation (normalizeUpload), then
 * analyseSelfie or analyseDocument exactly as SubmissionProcessor calls them (decode, detect, choose, embed).
 * Nothing here re-implements a step; the evaluation only records what those functions saw and returned.
 */
import { createHash } from 'node:crypto';
import { analyseDocument, analyseSelfie, type ImageOps } from '../domain/verification/face-analysis.js';
import { chooseSelfieFace, type SelfieRules } from '../domain/verification/face-selection.js';
import type { Box, FaceEngine, FaceFinding } from '../engine/face-engine.js';
import { normalizeUpload, type ImageLimits } from '../images/image-codec.js';
import { AppError } from '../shared/errors.js';
import type { EvalImage, ImageRole } from './eval-set.js';

/** A face as cached: no landmarks (nothing downstream of selection reads them). */
export interface ExtractedFace {
  readonly box: Box;
  readonly score: number;
  readonly embedding: Float32Array;
}

/** What the pipeline made of one image. */
export interface ImageResult {
  readonly sha256: string;
  readonly role: ImageRole;
  /** Size after normalizeUpload (what the engine saw). 0 when the upload was rejected. */
  readonly width: number;
  readonly height: number;
  /**
   * Selfie: every face the engine found on the image, largest first, so that selection rules can be re-applied.
   * Document: the portrait analyseDocument chose (re-detected on its enlarged crop), or nothing.
   */
  readonly faces: readonly ExtractedFace[];
  /** The worker's verdict on this image: null when usable, else its reason code (e.g. SELFIE_MULTIPLE_FACES). */
  readonly reason: string | null;
  /** Set when normalizeUpload refused the image (its error code); the pipeline stopped there. */
  readonly rejected: string | null;
  readonly timings: { readonly normalizeMs: number; readonly decodeMs: number; readonly inferenceMs: number };
}

export interface ExtractionDeps {
  readonly engine: FaceEngine;
  readonly ops: ImageOps;
  readonly limits: ImageLimits;
  readonly selfieRules: SelfieRules;
}

export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

export async function extractFaces(deps: ExtractionDeps, bytes: Buffer, role: ImageRole): Promise<ImageResult> {
  const sha256 = sha256Of(bytes);
  const t0 = performance.now();
  let jpeg: Buffer;
  let width: number;
  let height: number;
  try {
    ({ jpeg, width, height } = await normalizeUpload(bytes, role, deps.limits));
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    const timings = { normalizeMs: performance.now() - t0, decodeMs: 0, inferenceMs: 0 };
    return { sha256, role, width: 0, height: 0, faces: [], reason: error.code, rejected: error.code, timings };
  }
  const normalizeMs = performance.now() - t0;
  const seen: FaceFinding[][] = [];
  const recorder: FaceEngine = {
    info: deps.engine.info,
    detectFaces: async (image) => {
      const faces = await deps.engine.detectFaces(image);
      seen.push(faces);
      return faces;
    },
    tensorCount: () => deps.engine.tensorCount(),
    dispose: () => deps.engine.dispose(),
  };
  const analysis = role === 'selfie'
    ? await analyseSelfie(recorder, deps.ops, jpeg, deps.selfieRules)
    : await analyseDocument(recorder, deps.ops, jpeg);
  const faces = role === 'selfie' ? (seen[0] ?? []) : analysis.face ? [analysis.face] : [];
  return {
    sha256, role, width, height,
    faces: faces.map(({ box, score, embedding }) => ({ box, score, embedding })),
    reason: analysis.reason,
    rejected: null,
    timings: { normalizeMs, ...analysis.timings },
  };
}

/** The face an image contributes to a comparison, or why it contributes none. */
export type SubjectFace = { readonly face: ExtractedFace; readonly reason: null } | { readonly face: null; readonly reason: string };

/**
 * Applies the workers' selection to a cached result. "whole-image" is the selfie rule as the worker applies it.
 * "central" is the LFW protocol (the named person is the face covering the image centre; other people in the
 * photo are bystanders): faces not covering the centre are set aside, then the same selfie rule decides.
 */
export function subjectFace(result: ImageResult, image: Pick<EvalImage, 'subject' | 'role'>, rules: SelfieRules): SubjectFace {
  if (result.rejected) return { face: null, reason: result.rejected };
  if (image.role === 'document') {
    const face = result.faces[0];
    return face ? { face, reason: null } : { face: null, reason: result.reason ?? 'DOCUMENT_PORTRAIT_NOT_FOUND' };
  }
  const candidates = image.subject === 'central'
    ? result.faces.filter((f) => coversPoint(f.box, result.width / 2, result.height / 2))
    : result.faces;
  const choice = chooseSelfieFace(candidates.map(asFinding), rules);
  if (!choice.ok) return { face: null, reason: choice.reason };
  // asFinding keeps each box object, so the chosen box identifies the cached face.
  const face = candidates.find((f) => f.box === choice.face.box) as ExtractedFace;
  return { face, reason: null };
}

function coversPoint(box: Box, x: number, y: number): boolean {
  return x >= box.x && x <= box.x + box.width && y >= box.y && y <= box.y + box.height;
}

const asFinding = (face: ExtractedFace): FaceFinding => ({ ...face, landmarks: [] });
