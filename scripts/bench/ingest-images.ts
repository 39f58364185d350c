/**
 * Upload bodies of a given size for the ingestion benchmark, built in memory at run time from the shared identity
 * photos (read in place, never copied or written anywhere). A photo is upscaled to a phone camera's pixel count and
 * given a light, seeded sensor-like grain until it encodes to the target size: an upscaled photo alone is far
 * smoother than a real camera frame (a 12 MP upscale encodes to ~3-6 MB even at quality 100), and a JPEG's decode
 * cost grows with its entropy-coded bytes, not only with its pixels.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { BenchImage } from './images.js';

/** One built upload: printed by name and size only. */
export interface BuiltImage {
  /** Source photo (relative to identities/) and the size it was built at. */
  readonly name: string;
  readonly bytes: Buffer;
  readonly width: number;
  readonly height: number;
  /** Grain amplitude used (± grey levels). */
  readonly grain: number;
}

export interface BuildTarget {
  /** The longer side, px (the photo is scaled up or down to it). */
  readonly side: number;
  readonly targetBytes: number;
  /** Accepted relative deviation from targetBytes. */
  readonly tolerance: number;
  readonly quality: number;
}

/** An 8 MB frame of a 12-16 MP phone camera (4000 px on the long side), within UPLOAD_MAX_PIXELS / UPLOAD_MAX_BYTES. */
export const LARGE_UPLOAD: BuildTarget = { side: 4000, targetBytes: 8e6, tolerance: 0.05, quality: 97 };
/** A 2 MB photo at the stored size (IMAGE_MAX_SIDE 2000): the API re-encodes it without scaling. */
export const MEDIUM_UPLOAD: BuildTarget = { side: 2000, targetBytes: 2e6, tolerance: 0.05, quality: 97 };

const MAX_GRAIN = 64;
const MAX_STEPS = 20;

/** Builds `target`-sized JPEGs, one per photo, each with its own grain seed. */
export async function buildUploads(photos: readonly BenchImage[], target: BuildTarget): Promise<BuiltImage[]> {
  const built: BuiltImage[] = [];
  for (const [index, photo] of photos.entries()) built.push(await buildOne(photo, target, index + 1));
  return built;
}

async function buildOne(photo: BenchImage, target: BuildTarget, seed: number): Promise<BuiltImage> {
  const { data: pixels, info } = await sharp(await readFile(photo.path))
    .rotate()
    .resize({ width: target.side, height: target.side, fit: 'inside', kernel: 'lanczos3' })
    .removeAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const raw = { width: info.width, height: info.height, channels: info.channels };
  const encode = (grain: number) => sharp(withGrain(pixels, grain, seed), { raw })
    .jpeg({ quality: target.quality, chromaSubsampling: '4:4:4' })
    .toBuffer();
  const lo = target.targetBytes * (1 - target.tolerance);
  const hi = target.targetBytes * (1 + target.tolerance);
  // Encoded size grows with the grain: bracket the target, then alternate interpolation and bisection steps
  // (interpolation alone creeps up on one side of a curved size/grain relation).
  let [a, sizeA] = [0, (await encode(0)).length];
  if (sizeA > hi) throw new Error(`${photo.name} at ${raw.width}x${raw.height} is already ${mb(sizeA)} MB without grain; lower the quality`);
  let [b, sizeB] = [MAX_GRAIN, (await encode(MAX_GRAIN)).length];
  if (sizeB < lo) throw new Error(`${photo.name} at ${raw.width}x${raw.height} stays at ${mb(sizeB)} MB; raise the side or the quality`);
  for (let step = 0; step < MAX_STEPS; step += 1) {
    const t = step % 2 ? 0.5 : Math.min(0.9, Math.max(0.1, (target.targetBytes - sizeA) / (sizeB - sizeA)));
    const grain = Math.round((a + t * (b - a)) * 100) / 100;
    const bytes = await encode(grain);
    if (bytes.length >= lo && bytes.length <= hi) {
      return { name: `${photo.name} @ ${raw.width}x${raw.height}`, bytes, width: raw.width, height: raw.height, grain };
    }
    if (bytes.length < lo) [a, sizeA] = [grain, bytes.length];
    else [b, sizeB] = [grain, bytes.length];
  }
  throw new Error(`${photo.name}: no grain between ${a} and ${b} gives ${mb(lo)}-${mb(hi)} MB`);
}

/** Adds uniform noise of ± `amplitude` grey levels from a seeded xorshift generator: the same bytes every run. */
function withGrain(pixels: Buffer, amplitude: number, seed: number): Buffer {
  const out = Buffer.allocUnsafe(pixels.length);
  let state = (0x9e3779b9 ^ seed) >>> 0 || 1;
  const span = 2 * amplitude;
  for (let i = 0; i < pixels.length; i += 1) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    const v = pixels[i]! + ((state >>> 0) / 4294967296 - 0.5) * span;
    out[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return out;
}

const mb = (bytes: number) => (bytes / 1e6).toFixed(2);
