/**
 * Per-image PAD inputs for the evaluation, measured through the production path: the upload check
 * (normalizeUpload: EXIF orientation, size cap), the face engine, the PAD nets and padSignals. Two caches on disk
 * keep the slow parts: the detection per image and engine identity, and the nets' outputs per image, engine
 * identity and PAD framing (so trying another framing reruns only the nets). The image cues are recomputed on
 * every run (cheap).
 */
import { existsSync, readFileSync } from 'node:fs';
import { appendFile, mkdir } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import path from 'node:path';
import sharp from 'sharp';
import type { FaceEngine, FaceFinding, RgbImage } from '../engine/face-engine.js';
import type { PadModel, PadScores } from '../engine/pad/pad-model.js';
import { decodeRgb, normalizeUpload, type ImageLimits } from '../images/image-codec.js';
import { padSignals, type PadSignals } from '../domain/liveness/pad-signals.js';
import { samplePath, type SpoofSample } from './spoof-set.js';

/** What the detector found on one image (cached per engine identity). */
export interface Detection {
  /** True when the image was a tight face crop and got a black border before detection (see TIGHT_CROP_SIDE). */
  readonly bordered: boolean;
  readonly facesFound: number;
  /** The largest face, the one the worker's selfie check would keep. */
  readonly face: { readonly box: FaceFinding['box']; readonly score: number; readonly landmarks: FaceFinding['landmarks'] } | null;
  /** Decode plus detection, in milliseconds. */
  readonly ms: number;
}

/** One image's PAD inputs: detection, the nets' outputs and the image cues. */
export interface PadFeatures extends Detection {
  readonly file: string;
  readonly models: PadScores | null;
  readonly signals: PadSignals | null;
}

/** Images of a tight-crop set shorter than this on a side are face crops (NUAA's are 203 px): the detector needs context. */
export const TIGHT_CROP_SIDE = 320;
const BORDER_SHARE = 0.4;
/** Bump when the measurements' meaning changes, so stale cache lines are not read. */
export const FEATURE_VERSION = 3;

export interface FeatureDeps {
  readonly engine: FaceEngine;
  readonly pad: PadModel;
  readonly limits: ImageLimits;
  readonly detections: JsonLinesCache<Detection>;
  readonly scores: JsonLinesCache<PadScores>;
}

/** The image as the pipeline sees it: checked, oriented, capped, and bordered when it is a tight crop. */
export async function loadEvalImage(sample: SpoofSample, limits: ImageLimits): Promise<{ rgb: RgbImage; bordered: boolean }> {
  const upload = await normalizeUpload(readFileSync(samplePath(sample)), 'image', limits);
  let jpeg: Buffer = upload.jpeg;
  const bordered = sample.tightCrops && Math.min(upload.width, upload.height) < TIGHT_CROP_SIDE;
  if (bordered) {
    const border = Math.round(Math.max(upload.width, upload.height) * BORDER_SHARE);
    jpeg = await sharp(jpeg).extend({ top: border, bottom: border, left: border, right: border, background: '#000000' }).jpeg({ quality: 95 }).toBuffer();
  }
  return { rgb: await decodeRgb(jpeg), bordered };
}

/** Detection (cached), the PAD nets on the largest face (cached) and the image cues of one image. */
export async function measurePadFeatures(sample: SpoofSample, deps: FeatureDeps): Promise<PadFeatures & { fresh: boolean }> {
  const key = imageKey(sample);
  let loaded: Promise<{ rgb: RgbImage; bordered: boolean }> | undefined;
  const load = () => (loaded ??= loadEvalImage(sample, deps.limits));
  let fresh = false;
  let detection = deps.detections.get(key);
  if (!detection) {
    const started = performance.now();
    const { rgb, bordered } = await load();
    const faces = await deps.engine.detectFaces(rgb);
    const face = [...faces].sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height)[0];
    detection = {
      bordered, facesFound: faces.length, ms: performance.now() - started,
      face: face ? { box: face.box, score: face.score, landmarks: face.landmarks } : null,
    };
    await deps.detections.put(key, detection);
    fresh = true;
  }
  if (!detection.face) return { ...detection, file: sample.file, models: null, signals: null, fresh };
  let models = deps.scores.get(key);
  if (!models) {
    models = await deps.pad.score((await load()).rgb, detection.face.box);
    await deps.scores.put(key, models);
    fresh = true;
  }
  const face: FaceFinding = { ...detection.face, embedding: new Float32Array(0) };
  return { ...detection, file: sample.file, models, signals: padSignals((await load()).rgb, face, models), fresh };
}

/** A JSON-lines cache, one file per identity (what the values depend on: engine, framing, ...). */
export class JsonLinesCache<T> {
  private constructor(private readonly file: string, private readonly entries: Map<string, T>) {}

  static async open<T>(dir: string, kind: string, identity: string): Promise<JsonLinesCache<T>> {
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, `${kind}-${createHash('sha256').update(`${identity}:${FEATURE_VERSION}`).digest('hex').slice(0, 16)}.jsonl`);
    const entries = new Map<string, T>();
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        try {
          const parsed = JSON.parse(line) as { key: string; value: T };
          entries.set(parsed.key, parsed.value);
        } catch {
          // a torn last line from an interrupted run
        }
      }
    }
    return new JsonLinesCache(file, entries);
  }

  get(key: string): T | undefined {
    return this.entries.get(key);
  }

  async put(key: string, value: T): Promise<void> {
    this.entries.set(key, value);
    await appendFile(this.file, `${JSON.stringify({ key, value })}\n`);
  }
}

/** Cache key of one image: its bytes' sha256, plus whether it may be bordered (the same bytes measure differently). */
export function imageKey(sample: SpoofSample): string {
  const sha = sample.sha256 ?? createHash('sha256').update(readFileSync(samplePath(sample))).digest('hex');
  return sample.tightCrops ? `${sha}:tight` : sha;
}
