/**
 * Image cues of a presentation attack, measured on the face region in plain JavaScript, to sit beside the PAD nets'
 * scores. Each has a physical reason: a print or a screen re-photographed loses fine detail (sharpness), colour
 * (prints reproduce a narrower gamut; Hasler-Süsstrunk colourfulness), and adds either a regular pixel grid (screen
 * moiré: a peaky high-frequency spectrum) or flat, evenly lit paper (low luma spread, few specular highlights).
 */
import type { Box, FaceFinding, RgbImage } from '../../engine/face-engine.js';
import { faceGeometry } from '../quality/face-geometry.js';
import { clipBox, grayRegion, luminanceStats, sharpness } from '../quality/image-measures.js';

/** The inputs of the passive liveness assessment for one face. */
export interface PadSignals {
  /** Human `antispoof` net: probability real, 0-1. */
  readonly antispoof: number;
  /** Human `liveness` net: probability live, 0-1. */
  readonly liveness: number;
  /** Normalised Laplacian sharpness of the face at a fixed inter-eye distance (as the quality gate measures it). */
  readonly sharpness: number;
  /** Hasler-Süsstrunk colourfulness of the face, 0 (grey) to ~100. */
  readonly colourfulness: number;
  /** Standard deviation of the face luma. */
  readonly contrast: number;
  /** Share of face pixels that are bright and colourless (specular highlights on skin or on glossy paper). */
  readonly specular: number;
  /** Peak-to-median ratio of the face's high-frequency spectrum: regular patterns (moiré, print dots) stand out. */
  readonly spectralPeak: number;
  /** Share of spectral energy above half the Nyquist frequency. */
  readonly highFrequency: number;
  /**
   * Texture: rotation-invariant uniform LBP(8,1) histogram of the face at a fixed inter-eye distance (10 bins, sum 1;
   * Määttä et al. 2011 showed LBP separates NUAA's prints from live faces).
   */
  readonly lbp: readonly number[];
  /** The same histogram with twice the detail (inter-eye distance 64 px): print dots and screen pixels live here. */
  readonly lbpFine: readonly number[];
  /** Chroma of the face (YCbCr, 0-255): means and spreads; prints and screens shift and narrow them. */
  readonly chroma: { readonly cbMean: number; readonly crMean: number; readonly cbStd: number; readonly crStd: number };
}

/** The face region the cues are read on, resampled so that the inter-eye distance is this many pixels. */
const CUE_IED_PX = 32;
const SPECTRUM_SIDE = 64;

/** Measures the cues of one face; `models` are the PAD nets' outputs for the same face. */
export function padSignals(image: RgbImage, face: FaceFinding, models: { antispoof: number; liveness: number }): PadSignals {
  const g = faceGeometry(face.landmarks);
  const lm = face.landmarks;
  const xs = lm.slice(1, 16).map((p) => p.x);
  const top = Math.min(...lm.slice(17, 27).map((p) => p.y));
  const left = Math.min(...xs);
  const right = Math.max(...xs);
  const inset = (right - left) * 0.08;
  const region: Box = { x: left + inset, y: top, width: Math.max(2, right - left - 2 * inset), height: Math.max(2, (lm[8]?.y ?? top) - top) };
  const scale = Math.min(1, CUE_IED_PX / Math.max(1, g.interEyeDistance));
  const lum = luminanceStats(image, region);
  const spectrum = spectrumCues(grayRegion(image, centredSquare(region), SPECTRUM_SIDE / Math.max(region.width, region.height)));
  return {
    antispoof: models.antispoof,
    liveness: models.liveness,
    sharpness: sharpness(grayRegion(image, region, scale)),
    colourfulness: colourfulness(image, region),
    contrast: lum.stdDev,
    specular: specularShare(image, region),
    spectralPeak: spectrum.peak,
    highFrequency: spectrum.high,
    lbp: lbpHistogram(grayRegion(image, region, scale)),
    lbpFine: lbpHistogram(grayRegion(image, region, Math.min(1, (2 * CUE_IED_PX) / Math.max(1, g.interEyeDistance)))),
    chroma: chromaStats(image, region),
  };
}

/** Rotation-invariant uniform LBP(8,1): bins 0-8 count the set bits of uniform patterns, bin 9 the rest. */
function lbpHistogram(gray: { data: Float32Array; width: number; height: number }): number[] {
  const { data, width, height } = gray;
  const bins = new Array<number>(10).fill(0);
  const offsets = [[-1, -1], [0, -1], [1, -1], [1, 0], [1, 1], [0, 1], [-1, 1], [-1, 0]] as const;
  let n = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const c = data[y * width + x] as number;
      let ones = 0;
      let transitions = 0;
      let previous = (data[(y + offsets[7][1]) * width + x + offsets[7][0]] as number) >= c ? 1 : 0;
      for (const [dx, dy] of offsets) {
        const bit = (data[(y + dy) * width + x + dx] as number) >= c ? 1 : 0;
        ones += bit;
        if (bit !== previous) transitions++;
        previous = bit;
      }
      bins[transitions <= 2 ? ones : 9]! += 1;
      n++;
    }
  }
  return bins.map((b) => (n ? b / n : 0));
}

/**
 * Visits a regular grid of about 20,000 pixels inside `box` (all of them for small faces) and returns how many
 * were visited, or 0 when the box lies outside the image. The colour cues below all read the same samples.
 */
function forEachSample(image: RgbImage, box: Box, visit: (R: number, G: number, B: number) => void): number {
  const r = clipBox(box, image.width, image.height);
  if (!r) return 0;
  let n = 0;
  const step = Math.max(1, Math.floor(Math.sqrt((r.width * r.height) / 20_000)));
  for (let y = r.y; y < r.y + r.height; y += step) {
    for (let x = r.x; x < r.x + r.width; x += step) {
      const i = (y * image.width + x) * 3;
      visit(image.data[i] as number, image.data[i + 1] as number, image.data[i + 2] as number);
      n++;
    }
  }
  return n;
}

function chromaStats(image: RgbImage, box: Box): PadSignals['chroma'] {
  let sCb = 0;
  let sCr = 0;
  let qCb = 0;
  let qCr = 0;
  const n = forEachSample(image, box, (R, G, B) => {
    const cb = 128 - 0.168736 * R - 0.331264 * G + 0.5 * B;
    const cr = 128 + 0.5 * R - 0.418688 * G - 0.081312 * B;
    sCb += cb;
    sCr += cr;
    qCb += cb * cb;
    qCr += cr * cr;
  });
  if (!n) return { cbMean: 128, crMean: 128, cbStd: 0, crStd: 0 };
  const cbMean = sCb / n;
  const crMean = sCr / n;
  return { cbMean, crMean, cbStd: Math.sqrt(Math.max(0, qCb / n - cbMean ** 2)), crStd: Math.sqrt(Math.max(0, qCr / n - crMean ** 2)) };
}

function centredSquare(box: Box): Box {
  const side = Math.min(box.width, box.height);
  return { x: box.x + (box.width - side) / 2, y: box.y + (box.height - side) / 2, width: side, height: side };
}

function colourfulness(image: RgbImage, box: Box): number {
  let sRg = 0;
  let sYb = 0;
  let qRg = 0;
  let qYb = 0;
  const n = forEachSample(image, box, (R, G, B) => {
    const rg = R - G;
    const yb = 0.5 * (R + G) - B;
    sRg += rg;
    sYb += yb;
    qRg += rg * rg;
    qYb += yb * yb;
  });
  if (!n) return 0;
  const mRg = sRg / n;
  const mYb = sYb / n;
  const vRg = Math.max(0, qRg / n - mRg * mRg);
  const vYb = Math.max(0, qYb / n - mYb * mYb);
  return Math.sqrt(vRg + vYb) + 0.3 * Math.sqrt(mRg * mRg + mYb * mYb);
}

function specularShare(image: RgbImage, box: Box): number {
  let hits = 0;
  const n = forEachSample(image, box, (R, G, B) => {
    const max = Math.max(R, G, B);
    if (max >= 230 && max - Math.min(R, G, B) <= 25) hits++;
  });
  return n ? hits / n : 0;
}

/** Magnitude spectrum of a square grey patch (Hann-windowed DFT): peakiness and share of high frequencies. */
function spectrumCues(gray: { data: Float32Array; width: number; height: number }): { peak: number; high: number } {
  const n = Math.min(gray.width, gray.height);
  if (n < 8) return { peak: 0, high: 0 };
  const re = new Float64Array(n * n);
  const im = new Float64Array(n * n);
  let mean = 0;
  for (let y = 0; y < n; y++) for (let x = 0; x < n; x++) mean += gray.data[y * gray.width + x] as number;
  mean /= n * n;
  const hann = Float64Array.from({ length: n }, (_, k) => 0.5 - 0.5 * Math.cos((2 * Math.PI * k) / (n - 1)));
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) re[y * n + x] = ((gray.data[y * gray.width + x] as number) - mean) * (hann[x] as number) * (hann[y] as number);
  }
  dft2(re, im, n);
  const mags: number[] = [];
  let total = 0;
  let high = 0;
  for (let v = 0; v < n; v++) {
    for (let u = 0; u < n; u++) {
      if (u === 0 && v === 0) continue;
      const fu = Math.min(u, n - u) / n;
      const fv = Math.min(v, n - v) / n;
      const power = (re[v * n + u] as number) ** 2 + (im[v * n + u] as number) ** 2;
      total += power;
      const radius = Math.hypot(fu, fv);
      if (radius > 0.25) {
        high += power;
        mags.push(Math.sqrt(power));
      }
    }
  }
  mags.sort((a, b) => a - b);
  const median = mags[Math.floor(mags.length / 2)] ?? 0;
  const peak = mags[mags.length - 1] ?? 0;
  return { peak: median > 0 ? peak / median : 0, high: total > 0 ? high / total : 0 };
}

/** In-place 2-D DFT (rows, then columns); n is small (64), so the plain O(n^3) transform is fast enough. */
function dft2(re: Float64Array, im: Float64Array, n: number): void {
  const cos = Float64Array.from({ length: n }, (_, k) => Math.cos((2 * Math.PI * k) / n));
  const sin = Float64Array.from({ length: n }, (_, k) => Math.sin((2 * Math.PI * k) / n));
  const rowRe = new Float64Array(n);
  const rowIm = new Float64Array(n);
  const pass = (get: (k: number) => number, getI: (k: number) => number, set: (k: number, r: number, i: number) => void) => {
    for (let f = 0; f < n; f++) {
      let sr = 0;
      let si = 0;
      for (let k = 0; k < n; k++) {
        const idx = (f * k) % n;
        const c = cos[idx] as number;
        const s = sin[idx] as number;
        const xr = get(k);
        const xi = getI(k);
        sr += xr * c + xi * s;
        si += xi * c - xr * s;
      }
      rowRe[f] = sr;
      rowIm[f] = si;
    }
    for (let f = 0; f < n; f++) set(f, rowRe[f] as number, rowIm[f] as number);
  };
  for (let y = 0; y < n; y++) {
    pass((k) => re[y * n + k] as number, (k) => im[y * n + k] as number, (k, r, i) => { re[y * n + k] = r; im[y * n + k] = i; });
  }
  for (let x = 0; x < n; x++) {
    pass((k) => re[k * n + x] as number, (k) => im[k * n + x] as number, (k, r, i) => { re[k * n + x] = r; im[k * n + x] = i; });
  }
}
