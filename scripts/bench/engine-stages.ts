/**
 * Engine stages on one core: for each image, the API's upload normalisation and then what a worker does per
 * selfie (decode, detect, landmarks + descriptor, compare), each timed separately. Warm-up passes are not recorded.
 */
import { readFile } from 'node:fs/promises';
import { euclideanDistance } from '../../src/domain/verification/decision.js';
import type { FaceEngine, RgbImage } from '../../src/engine/face-engine.js';
import { decodeRgb, normalizeUpload, type ImageLimits } from '../../src/images/image-codec.js';
import type { CpuShare } from './cpu.js';
import { onOneCore } from './one-core.js';
import type { BenchImage, ImageSet } from './images.js';

export const STAGES = ['normalize', 'decode', 'detect', 'describe', 'compare', 'worker total'] as const;
export type Stage = (typeof STAGES)[number];

export interface StageOptions {
  /** Unrecorded passes over the whole set before measuring. */
  readonly warmups: number;
  /** Recorded passes; every image is measured once per pass, images interleaved. */
  readonly reps: number;
  readonly limits: ImageLimits;
}

export interface ImageStages {
  readonly image: BenchImage;
  /** Size after normalisation (what the worker decodes and the engine sees). */
  readonly width: number;
  readonly height: number;
  readonly faces: number;
  readonly samples: Record<Stage, number[]>;
}

/** Comparisons are timed in batches: one call is far below the timer's resolution. */
const COMPARE_BATCH = 2000;

interface Prepared {
  readonly image: BenchImage;
  readonly bytes: Buffer;
  readonly jpeg: Buffer;
  readonly rgb: RgbImage;
  readonly faces: number;
  readonly embedding: Float32Array | null;
}

/**
 * Measures every stage for every image of the set, on one core ({@link onOneCore}). Throws if the engine's profile disagrees
 * with detectFaces or leaks tensors.
 */
export async function benchEngineStages(
  engine: FaceEngine, set: ImageSet, options: StageOptions,
): Promise<{ results: ImageStages[]; cpu: CpuShare }> {
  const { result: results, cpu } = await onOneCore(async () => {
    const prepared: Prepared[] = [];
    for (const image of set.images) prepared.push(await prepare(engine, image, options.limits));
    const withFace = prepared.filter((p) => p.embedding);
    // Each image's face is compared with the next image's, as a selfie is compared with a stored reference.
    const partner = (i: number): Float32Array | null => {
      const own = prepared[i]?.embedding;
      if (!own) return null;
      const at = withFace.indexOf(prepared[i]!);
      return withFace[(at + 1) % withFace.length]?.embedding ?? own;
    };
    const tensorsBefore = engine.tensorCount();
    const results = prepared.map((p) => ({
      image: p.image, width: p.rgb.width, height: p.rgb.height, faces: p.faces,
      samples: Object.fromEntries(STAGES.map((s) => [s, [] as number[]])) as Record<Stage, number[]>,
    }));
    for (let pass = 0; pass < options.warmups + options.reps; pass += 1) {
      for (const [i, p] of prepared.entries()) {
        const timing = await measureOnce(engine, p, partner(i), options.limits);
        if (pass < options.warmups) continue;
        for (const stage of STAGES) results[i]!.samples[stage].push(timing[stage]);
      }
    }
    const leaked = engine.tensorCount() - tensorsBefore;
    if (leaked !== 0) throw new Error(`engine tensor count changed by ${leaked} over the stage benchmark`);
    return results;
  });
  return { results, cpu };
}

async function prepare(engine: FaceEngine, image: BenchImage, limits: ImageLimits): Promise<Prepared> {
  const bytes = await readFile(image.path);
  const { jpeg } = await normalizeUpload(bytes, 'selfie', limits);
  const rgb = await decodeRgb(jpeg);
  const faces = await engine.detectFaces(rgb);
  return { image, bytes, jpeg, rgb, faces: faces.length, embedding: faces[0]?.embedding ?? null };
}

async function measureOnce(engine: FaceEngine, p: Prepared, partner: Float32Array | null, limits: ImageLimits): Promise<Record<Stage, number>> {
  const t0 = performance.now();
  await normalizeUpload(p.bytes, 'selfie', limits);
  const t1 = performance.now();
  const rgb = await decodeRgb(p.jpeg);
  const t2 = performance.now();
  let detect: number;
  let describe: number;
  let embedding: Float32Array | null;
  if (engine.profile) {
    const profile = await engine.profile(rgb);
    if (profile.faces.length !== p.faces) {
      throw new Error(`${p.image.name}: profile() found ${profile.faces.length} faces, detectFaces() ${p.faces}`);
    }
    ({ detectMs: detect, describeMs: describe } = profile);
    embedding = profile.faces[0]?.embedding ?? null;
  } else {
    // Without profile() the engine's whole run is reported as detection, and description as absent.
    const s = performance.now();
    embedding = (await engine.detectFaces(rgb))[0]?.embedding ?? null;
    detect = performance.now() - s;
    describe = Number.NaN;
  }
  const compare = embedding && partner ? timeCompare(embedding, partner) : Number.NaN;
  const decode = t2 - t1;
  const worker = decode + detect + (Number.isNaN(describe) ? 0 : describe) + (Number.isNaN(compare) ? 0 : compare);
  return { normalize: t1 - t0, decode, detect, describe, compare, 'worker total': worker };
}

let sink = 0;

/** Mean time of one euclidean distance between two embeddings, over a batch. */
function timeCompare(a: Float32Array, b: Float32Array): number {
  const start = performance.now();
  for (let i = 0; i < COMPARE_BATCH; i += 1) sink += euclideanDistance(a, b);
  const perCall = (performance.now() - start) / COMPARE_BATCH;
  if (sink < 0) console.error(sink); // keeps the loop from being optimised away
  return perCall;
}
