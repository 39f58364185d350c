/**
 * Per-image PAD inputs for the evaluation, measured through the production path: the upload check
 * (normalizeUpload: EXIF orientation, size cap), the face engine, the PAD nets and padSignals. Detection and the
 * nets' outputs are cached on disk per image and engine identity; the image cues are recomputed on every run.
 */
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import sharp from 'sharp';
import type { FaceEngine, FaceFinding, RgbImage } from '../engine/face-engine.js';
import type { PadModel } from '../engine/pad/pad-model.js';
import { decodeRgb, normalizeUpload, type ImageLimits } from '../images/image-codec.js';
import { padSignals, type PadSignals } from '../domain/liveness/pad-signals.js';
import type { SpoofSample } from './spoof-set.js';

/** What is costly to measure (detection, landmarks, PAD nets): cached per image. */
export interface MeasuredFace {
  readonly file: string;
  /** True when the image was a tight face crop and got a black border before detection (see TIGHT_CROP_SIDE). */
  readonly bordered: boolean;
  readonly facesFound: number;
  readonly face: { readonly box: FaceFinding['box']; readonly score: number; readonly landmarks: FaceFinding['landmarks'] } | null;
  readonly models: { readonly antispoof: number; readonly liveness: number } | null;
  readonly ms: number;
}

/** One image's PAD inputs: the cached measurement plus the image cues, recomputed on every run (cheap). */
export interface PadFeatures extends MeasuredFace {
  readonly signals: PadSignals | null;
}

/** Images shorter than this on a side are tight face crops (NUAA's are 203 px): the detector needs context. */
export const TIGHT_CROP_SIDE = 320;
const BORDER_SHARE = 0.4;
/** Bump when the features' meaning changes, so stale cache lines are not read. */
export const FEATURE_VERSION = 2;

export interface FeatureDeps {
  readonly engine: FaceEngine;
  readonly pad: PadModel;
  readonly limits: ImageLimits;
}

/** The image as the pipeline sees it: checked, oriented, capped, and bordered when it is a tight crop. */
export async function loadEvalImage(dir: string, sample: SpoofSample, limits: ImageLimits): Promise<{ rgb: RgbImage; bordered: boolean }> {
  const upload = await normalizeUpload(readFileSync(path.join(dir, sample.file)), 'image', limits);
  let jpeg: Buffer = upload.jpeg;
  const bordered = Math.min(upload.width, upload.height) < TIGHT_CROP_SIDE;
  if (bordered) {
    const border = Math.round(Math.max(upload.width, upload.height) * BORDER_SHARE);
    jpeg = await sharp(jpeg).extend({ top: border, bottom: border, left: border, right: border, background: '#000000' }).jpeg({ quality: 95 }).toBuffer();
  }
  return { rgb: await decodeRgb(jpeg), bordered };
}

/** Detection, landmarks and the PAD nets on one image (the slow part, cached). */
export async function measureFace(dir: string, sample: SpoofSample, deps: FeatureDeps): Promise<MeasuredFace> {
  const started = performance.now();
  const { rgb, bordered } = await loadEvalImage(dir, sample, deps.limits);
  const faces = await deps.engine.detectFaces(rgb);
  const face = faces[0];
  const models = face ? await deps.pad.score(rgb, face.box) : null;
  return {
    file: sample.file, bordered, facesFound: faces.length, models, ms: performance.now() - started,
    face: face ? { box: face.box, score: face.score, landmarks: face.landmarks } : null,
  };
}

/** Adds the image cues to a measurement. */
export async function withSignals(dir: string, sample: SpoofSample, measured: MeasuredFace, limits: ImageLimits): Promise<PadFeatures> {
  if (!measured.face || !measured.models) return { ...measured, signals: null };
  const { rgb } = await loadEvalImage(dir, sample, limits);
  const face: FaceFinding = { ...measured.face, embedding: new Float32Array(0) };
  return { ...measured, signals: padSignals(rgb, face, measured.models) };
}

/** A JSON-lines cache of features, keyed by file content and the engine/PAD identity. */
export class PadFeatureCache {
  private constructor(private readonly file: string, private readonly entries: Map<string, MeasuredFace>) {}

  static async open(dir: string, identity: string): Promise<PadFeatureCache> {
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `pad-${createHash('sha256').update(`${identity}:${FEATURE_VERSION}`).digest('hex').slice(0, 16)}.jsonl`);
    const entries = new Map<string, MeasuredFace>();
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        try {
          const parsed = JSON.parse(line) as { key: string; measured: MeasuredFace };
          entries.set(parsed.key, parsed.measured);
        } catch {
          // a torn last line from an interrupted run
        }
      }
    }
    return new PadFeatureCache(file, entries);
  }

  get(key: string): MeasuredFace | undefined {
    return this.entries.get(key);
  }

  async put(key: string, measured: MeasuredFace): Promise<void> {
    this.entries.set(key, measured);
    await appendFile(this.file, `${JSON.stringify({ key, measured })}\n`);
  }
}

/** Cache key of one image: its bytes' sha256. */
export function imageKey(dir: string, sample: SpoofSample): string {
  return sample.sha256 ?? createHash('sha256').update(readFileSync(path.join(dir, sample.file))).digest('hex');
}
