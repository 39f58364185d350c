/**
 * Fingerprints of whole images for replay detection: a 64-bit DCT perceptual hash (pHash), which survives
 * re-encoding, rescaling and mild colour changes, and a 32x32 grey thumbnail for the stricter "is this the very same
 * frame again" test. Neither is a face template: both describe the whole picture, background included, at a
 * resolution from which no face can be recognised or rebuilt.
 */
import type { RgbImage } from '../../engine/face-engine.js';
import { luma } from '../quality/image-measures.js';

export interface ImageFingerprint {
  /** 64-bit pHash as 16 hex digits. */
  readonly phash: string;
  /** 32x32 luma thumbnail, row-major, 0-255. */
  readonly thumb: Uint8Array;
}

const HASH_SIDE = 32;
const LOW = 8;
export const THUMB_SIDE = 32;

/** Fingerprints one decoded image. */
export function fingerprintImage(image: RgbImage): ImageFingerprint {
  const gray = areaResample(image, HASH_SIDE);
  return { phash: perceptualHash(gray), thumb: Uint8Array.from(areaResample(image, THUMB_SIDE), (v) => Math.round(v)) };
}

/** Bits that differ between two hashes (0-64). */
export function hammingDistance(a: string, b: string): number {
  let x = BigInt(`0x${a}`) ^ BigInt(`0x${b}`);
  let bits = 0;
  while (x > 0n) {
    bits += Number(x & 1n);
    x >>= 1n;
  }
  return bits;
}

/** Mean absolute difference of two thumbnails, 0-255: 0 for the same frame, under ~1 for a re-encoded copy. */
export function thumbnailDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length || a.length === 0) return 255;
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] as number) - (b[i] as number));
  return sum / a.length;
}

/**
 * pHash (Zauner 2010): DCT of a 32x32 grey image, the 8x8 lowest frequencies without the DC term compared with
 * their median. The bit order is fixed so that stored hashes stay comparable.
 */
function perceptualHash(gray: Float32Array): string {
  const coefficients: number[] = [];
  for (let u = 0; u < LOW; u++) {
    for (let v = 0; v < LOW; v++) {
      let sum = 0;
      for (let y = 0; y < HASH_SIDE; y++) {
        const cy = COS[v * HASH_SIDE + y] as number;
        for (let x = 0; x < HASH_SIDE; x++) sum += (gray[y * HASH_SIDE + x] as number) * (COS[u * HASH_SIDE + x] as number) * cy;
      }
      coefficients.push(sum);
    }
  }
  const ac = coefficients.slice(1);
  const median = [...ac].sort((a, b) => a - b)[Math.floor(ac.length / 2)] as number;
  let hash = 0n;
  for (const c of coefficients) hash = (hash << 1n) | (c > median ? 1n : 0n);
  return hash.toString(16).padStart(16, '0');
}

const COS = (() => {
  const table = new Float64Array(LOW * HASH_SIDE);
  for (let u = 0; u < LOW; u++) {
    for (let x = 0; x < HASH_SIDE; x++) table[u * HASH_SIDE + x] = Math.cos(((2 * x + 1) * u * Math.PI) / (2 * HASH_SIDE));
  }
  return table;
})();

/** The whole image as side x side luma, each output pixel the mean of the input pixels it covers. */
function areaResample(image: RgbImage, side: number): Float32Array {
  const out = new Float32Array(side * side);
  const counts = new Uint32Array(side * side);
  const { width, height, data } = image;
  // Large photos are sampled on a grid: a few hundred samples per output cell are plenty for a mean.
  const step = Math.max(1, Math.floor(Math.min(width, height) / (side * 16)));
  for (let y = 0; y < height; y += step) {
    const oy = Math.min(side - 1, Math.floor((y * side) / height));
    for (let x = 0; x < width; x += step) {
      const ox = Math.min(side - 1, Math.floor((x * side) / width));
      const i = (y * width + x) * 3;
      out[oy * side + ox] = (out[oy * side + ox] as number) + luma(data[i] as number, data[i + 1] as number, data[i + 2] as number);
      counts[oy * side + ox] = (counts[oy * side + ox] as number) + 1;
    }
  }
  for (let k = 0; k < out.length; k++) out[k] = (out[k] as number) / Math.max(1, counts[k] as number);
  return out;
}
