/**
 * Pixel measures of a face region, in plain JavaScript on the decoded RGB (the domain uses no image library):
 * luminance mean and spread, under- and over-exposure, and sharpness. Modelled on the ISO/IEC 29794-5 (OFIQ)
 * components of the same names, simplified: OFIQ maps each measure to a 0-100 quality score with its own
 * models; here the raw measure is kept and compared with a configured threshold.
 */
import type { Box, RgbImage } from '../../engine/face-engine.js';

/** A single-channel image of luminance values in [0, 255]. */
export interface GrayImage {
  readonly data: Float32Array;
  readonly width: number;
  readonly height: number;
}

/** Luminance statistics of a region (ITU-R BT.601 luma). */
export interface LuminanceStats {
  /** Mean luma, 0-255. */
  readonly mean: number;
  /** Standard deviation of luma, 0-~128: low means flat, foggy or uniformly dark. */
  readonly stdDev: number;
  /** Share of pixels at or below the dark clip level (crushed shadows). */
  readonly underExposed: number;
  /** Share of pixels at or above the bright clip level (burnt-out highlights, glare). */
  readonly overExposed: number;
}

/** Luma at or below this counts as clipped dark; at or above BRIGHT_CLIP as clipped bright. */
export const DARK_CLIP = 25;
export const BRIGHT_CLIP = 245;

/** The part of `box` inside the image, in whole pixels; null when nothing of it is inside. */
export function clipBox(box: Box, width: number, height: number): Box | null {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(width, Math.ceil(box.x + box.width));
  const y1 = Math.min(height, Math.ceil(box.y + box.height));
  return x1 - x0 >= 2 && y1 - y0 >= 2 ? { x: x0, y: y0, width: x1 - x0, height: y1 - y0 } : null;
}

/** Luma statistics of the pixels inside `box`. */
export function luminanceStats(image: RgbImage, box: Box): LuminanceStats {
  const region = clipBox(box, image.width, image.height);
  if (!region) return { mean: 0, stdDev: 0, underExposed: 1, overExposed: 0 };
  let sum = 0;
  let sumSq = 0;
  let dark = 0;
  let bright = 0;
  // Every pixel of a large face is not needed for a mean: a stride keeps this to ~40k samples.
  const step = Math.max(1, Math.floor(Math.sqrt((region.width * region.height) / 40_000)));
  let n = 0;
  for (let y = region.y; y < region.y + region.height; y += step) {
    for (let x = region.x; x < region.x + region.width; x += step) {
      const i = (y * image.width + x) * 3;
      const v = luma(image.data[i] as number, image.data[i + 1] as number, image.data[i + 2] as number);
      sum += v;
      sumSq += v * v;
      if (v <= DARK_CLIP) dark++;
      if (v >= BRIGHT_CLIP) bright++;
      n++;
    }
  }
  const mean = sum / n;
  return { mean, stdDev: Math.sqrt(Math.max(0, sumSq / n - mean * mean)), underExposed: dark / n, overExposed: bright / n };
}

/**
 * The region `box` resampled to luma at `scale` (output pixels per input pixel): area-averaged when shrinking,
 * bilinear when enlarging. Measures on a face resampled to a fixed inter-eye distance compare across cameras.
 */
export function grayRegion(image: RgbImage, box: Box, scale: number): GrayImage {
  const region = clipBox(box, image.width, image.height);
  if (!region || !(scale > 0)) return { data: new Float32Array(0), width: 0, height: 0 };
  const width = Math.max(2, Math.round(region.width * scale));
  const height = Math.max(2, Math.round(region.height * scale));
  const data = new Float32Array(width * height);
  const pix = (x: number, y: number) => {
    const i = (y * image.width + x) * 3;
    return luma(image.data[i] as number, image.data[i + 1] as number, image.data[i + 2] as number);
  };
  const sx = region.width / width;
  const sy = region.height / height;
  for (let oy = 0; oy < height; oy++) {
    for (let ox = 0; ox < width; ox++) {
      let v: number;
      if (sx > 1 || sy > 1) {
        // Box filter over the source pixels this output pixel covers.
        const x0 = region.x + Math.floor(ox * sx);
        const y0 = region.y + Math.floor(oy * sy);
        const x1 = Math.max(x0 + 1, Math.min(region.x + region.width, region.x + Math.floor((ox + 1) * sx)));
        const y1 = Math.max(y0 + 1, Math.min(region.y + region.height, region.y + Math.floor((oy + 1) * sy)));
        let s = 0;
        for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) s += pix(x, y);
        v = s / ((x1 - x0) * (y1 - y0));
      } else {
        const fx = Math.min(region.width - 1.001, Math.max(0, (ox + 0.5) * sx - 0.5));
        const fy = Math.min(region.height - 1.001, Math.max(0, (oy + 0.5) * sy - 0.5));
        const x0 = Math.floor(fx);
        const y0 = Math.floor(fy);
        const ax = fx - x0;
        const ay = fy - y0;
        const X = region.x + x0;
        const Y = region.y + y0;
        v = (1 - ay) * ((1 - ax) * pix(X, Y) + ax * pix(X + 1, Y)) + ay * ((1 - ax) * pix(X, Y + 1) + ax * pix(X + 1, Y + 1));
      }
      data[oy * width + ox] = v;
    }
  }
  return { data, width, height };
}

/**
 * Sharpness of a face region already resampled to a fixed scale: the variance of the 3x3 Laplacian divided by
 * the variance of the luma, so that a dim or low-contrast face is not mistaken for a blurred one. Higher is
 * sharper; a defocused or shaken photo falls by an order of magnitude.
 */
export function sharpness(gray: GrayImage): number {
  const { data, width, height } = gray;
  if (width < 3 || height < 3) return 0;
  let sum = 0;
  let sumSq = 0;
  let lsum = 0;
  let lsumSq = 0;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const i = y * width + x;
      const c = data[i] as number;
      const lap = (data[i - 1] as number) + (data[i + 1] as number) + (data[i - width] as number) + (data[i + width] as number) - 4 * c;
      sum += c;
      sumSq += c * c;
      lsum += lap;
      lsumSq += lap * lap;
      n++;
    }
  }
  const variance = sumSq / n - (sum / n) ** 2;
  const lapVariance = lsumSq / n - (lsum / n) ** 2;
  return variance > 1e-6 ? lapVariance / variance : 0;
}

export function luma(r: number, g: number, b: number): number {
  return 0.299 * r + 0.587 * g + 0.114 * b;
}
