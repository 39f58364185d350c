import type { GrayImage } from './gray-image.js';
import { otsuThreshold } from './gray-image.js';
import type { OcrLine, OcrSymbol } from './tesseract-ocr.js';

/** One MRZ position as read: the character (`?` when nothing was read there) and how sure the reading is (0-1). */
export interface MrzCell {
  readonly char: string;
  readonly confidence: number;
}

const centre = (s: OcrSymbol) => (s.x0 + s.x1) / 2;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.floor(sorted.length / 2)]!;
};

/** The horizontal grid shared by the lines of an MRZ block: cell i spans [left + i*pitch, left + (i+1)*pitch). */
export interface MrzGrid {
  readonly left: number;
  readonly pitch: number;
}

/**
 * The MRZ is monospaced and its lines are left-aligned and equally long, so one grid fits the whole block. The
 * pitch is the period that best lines up the symbol centres (phase coherence, searched within 10% of the median
 * spacing of neighbouring symbols); the whole-cell shift then keeps the most symbols inside the line, the leftmost one in
 * cell 0 when several shifts do (every MRZ line starts with ink; its end may be fillers the OCR dropped).
 */
export function fitGrid(lines: readonly OcrLine[], length: number): MrzGrid | null {
  const present = lines.filter((l) => l.symbols.length > 0);
  if (present.length === 0) return null;
  // Neighbouring symbols are mostly neighbouring cells: their median spacing is close to the pitch.
  const spacing = present.flatMap((l) => l.symbols.slice(1).map((s, i) => centre(s) - centre(l.symbols[i]!)));
  const p0 = median(spacing.filter((d) => d > 0));
  if (!(p0 > 0)) return null;
  // Glyph fragments and blobs merged with the page edge would pull the grid off.
  const whole = present.flatMap((l) => l.symbols.filter((s) => s.x1 - s.x0 >= p0 * 0.45 && s.x1 - s.x0 <= p0 * 1.6));
  const centres = whole.map(centre);
  if (centres.length < length / 2) return null;
  let best = { pitch: p0, phase: 0, coherence: -1 };
  for (let step = -20; step <= 20; step += 1) {
    const pitch = p0 * (1 + step * 0.005);
    let c = 0;
    let sn = 0;
    for (const x of centres) {
      const theta = (2 * Math.PI * x) / pitch;
      c += Math.cos(theta);
      sn += Math.sin(theta);
    }
    const coherence = Math.hypot(c, sn) / centres.length;
    if (coherence > best.coherence) best = { pitch, phase: Math.atan2(sn, c), coherence };
  }
  const { pitch } = best;
  const origin = (best.phase / (2 * Math.PI)) * pitch; // some cell centre lies at origin + k * pitch
  const ks = centres.map((x) => Math.round((x - origin) / pitch));
  const kMin = Math.min(...ks);
  const kMax = Math.max(...ks);
  let shift = kMin;
  let inside = -1;
  // Shifts that keep the line within the symbols found (or the symbols within the line); the surest symbols win.
  for (let sh = Math.min(kMin, kMax - length + 1); sh <= Math.max(kMin, kMax - length + 1); sh += 1) {
    const score = ks.reduce((sum, k, i) => sum + (k >= sh && k < sh + length ? whole[i]!.confidence : 0), 0);
    if (score > inside + 1e-9 || (Math.abs(score - inside) <= 1e-9 && sh === kMin)) {
      inside = score;
      shift = sh;
    }
  }
  return { left: origin + shift * pitch - pitch / 2, pitch };
}

/**
 * Places the OCR symbols of one line in the grid. Where the OCR split a filler into two glyphs ("<K") both land in
 * one cell and the filler wins; otherwise the surer symbol wins. Cells where nothing was read stay `?`.
 */
export function cellsOf(line: OcrLine, grid: MrzGrid, length: number): MrzCell[] {
  const cells: (OcrSymbol[] | undefined)[] = Array.from({ length }, () => undefined);
  line.symbols.forEach((s, i) => {
    // A glyph merged with something at the edge of the band (page border, shadow) sits at the blob's inner end.
    let x = centre(s);
    if (s.x1 - s.x0 > grid.pitch * 1.6) {
      if (i === 0) x = s.x1 - grid.pitch / 2;
      else if (i === line.symbols.length - 1) x = s.x0 + grid.pitch / 2;
    }
    const k = Math.floor((x - grid.left) / grid.pitch);
    if (k < 0 || k >= length) return;
    (cells[k] ??= []).push(s);
  });
  return cells.map((found) => {
    if (!found) return { char: '?', confidence: 0 };
    const filler = found.find((s) => s.text === '<');
    const best = filler ?? found.reduce((a, b) => (b.confidence > a.confidence ? b : a));
    return { char: best.text, confidence: best.confidence / 100 };
  });
}

/** Vertical extent of a text line in the band image: the median top and bottom of its letters and digits. */
export function lineExtent(line: OcrLine): { top: number; bottom: number } | null {
  const glyphs = line.symbols.filter((s) => s.text !== '<');
  if (glyphs.length < 3) return null;
  return { top: median(glyphs.map((s) => s.y0)), bottom: median(glyphs.map((s) => s.y1)) };
}

/**
 * Whether the glyph in a cell is the filler chevron `<`: its leftmost quarter holds ink only around mid-height
 * (the point of the chevron), its rightmost quarter holds ink near the top and the bottom (the two arms) but not
 * at mid-height. Letters the OCR confuses with the filler (K, L, C, E, X, Z) all have ink at the top or bottom of
 * their left side. Measured on the band binarised with Otsu's threshold.
 */
export function looksLikeFiller(img: GrayImage, cutoff: number, x0: number, x1: number, top: number, bottom: number): boolean {
  const height = bottom - top + 1;
  if (height < 8 || x1 - x0 < 4) return false;
  const rows = (from: number, to: number) => {
    const hit: boolean[] = [];
    for (let y = top; y <= bottom; y += 1) {
      let ink = false;
      for (let x = Math.max(0, Math.round(from)); x <= Math.min(img.width - 1, Math.round(to)) && !ink; x += 1) {
        if (y >= 0 && y < img.height && img.data[y * img.width + x]! <= cutoff) ink = true;
      }
      hit.push(ink);
    }
    return hit;
  };
  // Bounds of the ink inside the cell, so that the quarters are the glyph's, not the cell's.
  let gx0 = Infinity, gx1 = -Infinity;
  for (let y = Math.max(0, top); y <= Math.min(img.height - 1, bottom); y += 1) {
    for (let x = Math.max(0, Math.round(x0)); x <= Math.min(img.width - 1, Math.round(x1)); x += 1) {
      if (img.data[y * img.width + x]! <= cutoff) { if (x < gx0) gx0 = x; if (x > gx1) gx1 = x; }
    }
  }
  const gw = gx1 - gx0 + 1;
  if (!(gw >= 4)) return false;
  const leftRows = rows(gx0, gx0 + gw * 0.2);
  const rightRows = rows(gx1 - gw * 0.2, gx1);
  const span = (hit: boolean[]) => {
    const first = hit.indexOf(true);
    const last = hit.lastIndexOf(true);
    return first < 0 ? null : { first: first / height, last: last / height };
  };
  const l = span(leftRows);
  const r = span(rightRows);
  if (!l || !r) return false;
  const leftCompact = l.last - l.first <= 0.5 && (l.first + l.last) / 2 > 0.3 && (l.first + l.last) / 2 < 0.75;
  const mid = rightRows.slice(Math.floor(height * 0.42), Math.ceil(height * 0.6));
  const rightArms = r.first <= 0.3 && r.last >= 0.7 && mid.some((v) => !v);
  return leftCompact && rightArms;
}

/** Otsu cut-off of the band, for {@link looksLikeFiller}. */
export const inkCutoff = (img: GrayImage) => otsuThreshold(img);

const GLYPH_W = 12;
const GLYPH_H = 16;

/**
 * The glyph in a cell as a small normalised picture (12 x 16, ink high, zero mean, unit length), so that two cells
 * can be compared by a dot product: 1 for the same glyph, near 0 for unrelated ones.
 */
export function glyphAt(img: GrayImage, x0: number, x1: number, top: number, bottom: number): Float32Array {
  const margin = (bottom - top) * 0.15;
  const y0 = top - margin;
  const y1 = bottom + margin;
  const out = new Float32Array(GLYPH_W * GLYPH_H);
  for (let gy = 0; gy < GLYPH_H; gy += 1) {
    for (let gx = 0; gx < GLYPH_W; gx += 1) {
      // Average of the source pixels under this glyph pixel.
      const sx0 = Math.floor(x0 + ((x1 - x0) * gx) / GLYPH_W);
      const sx1 = Math.max(sx0 + 1, Math.floor(x0 + ((x1 - x0) * (gx + 1)) / GLYPH_W));
      const sy0 = Math.floor(y0 + ((y1 - y0) * gy) / GLYPH_H);
      const sy1 = Math.max(sy0 + 1, Math.floor(y0 + ((y1 - y0) * (gy + 1)) / GLYPH_H));
      let sum = 0;
      let n = 0;
      for (let y = Math.max(0, sy0); y < Math.min(img.height, sy1); y += 1) {
        for (let x = Math.max(0, sx0); x < Math.min(img.width, sx1); x += 1) {
          sum += 255 - img.data[y * img.width + x]!;
          n += 1;
        }
      }
      out[gy * GLYPH_W + gx] = n > 0 ? sum / n : 0;
    }
  }
  let mean = 0;
  for (const v of out) mean += v;
  mean /= out.length;
  let norm = 0;
  for (let i = 0; i < out.length; i += 1) {
    out[i]! -= mean;
    norm += out[i]! * out[i]!;
  }
  norm = Math.sqrt(norm) || 1;
  for (let i = 0; i < out.length; i += 1) out[i]! /= norm;
  return out;
}

/** Similarity of two glyphs from {@link glyphAt} (-1..1). */
export function glyphSimilarity(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i += 1) dot += a[i]! * b[i]!;
  return dot;
}
