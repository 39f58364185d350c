import { MRZ_LAYOUTS, type MrzLayout } from '../mrz/mrz-format.js';
import { repairMrz, type ReadChar, type RepairedMrz } from '../mrz/mrz-repair.js';
import type { ParsedMrz } from '../mrz/mrz-parser.js';
import { mrzPlausibility } from '../mrz/mrz-plausibility.js';
import { cutBand, decodePage, type PageImages } from './band-image.js';
import { rotateQuarter, type GrayImage } from './gray-image.js';
import { findTextLines, groupMrzBands, type MrzBand } from './mrz-band-finder.js';
import { cellsOf, fitGrid, glyphAt, inkCutoff, lineExtent, looksLikeFiller } from './mrz-cells.js';
import { createTesseractOcr, type MrzOcrEngine, type OcrLine } from './tesseract-ocr.js';

/** Clockwise quarter turns, in degrees, that make a photographed page upright. */
export type Rotation = 0 | 90 | 180 | 270;

/** An MRZ read from a page image. */
export interface MrzReading {
  readonly parsed: ParsedMrz;
  /**
   * 0-1: mean OCR certainty of the characters (repaired ones count half) x share of check digits that verify x
   * plausibility (codes, dates, sex, name) x 0.6 when another repair was nearly as likely.
   */
  readonly confidence: number;
  /** The turn that made the MRZ readable (what a viewer should apply to show the page upright). */
  readonly rotation: Rotation;
  /** Characters changed from what the OCR read (look-alikes, fillers, codes, check-digit repairs). */
  readonly substitutions: number;
}

/** Reads the MRZ of a document photo. Holds an OCR worker: create once per process, close on shutdown. */
export interface MrzReader {
  /** The MRZ on the page, or null when no MRZ band could be found and read. */
  read(image: Buffer): Promise<MrzReading | null>;
  close(): Promise<void>;
}

const MAX_BANDS = 3;
/** Below this share of plausibility tests (document code, state codes, dates, sex, name) a reading is noise. */
const MIN_PLAUSIBILITY = 0.6;

export async function createMrzReader(ocr?: MrzOcrEngine): Promise<MrzReader> {
  const engine = ocr ?? (await createTesseractOcr());
  return {
    read: (image) => readMrz(engine, image),
    close: () => engine.close(),
  };
}

interface Attempt {
  readonly reading: MrzReading;
  readonly complete: boolean;
}

/** A band this strong found upright is read before the page is searched turned a quarter. */
const STRONG_BAND = 0.9;

/**
 * Finds the MRZ band(s) of a page, reads each with the OCR (upright first, then upside down; the page as it is
 * first, then turned a quarter), and keeps the most confident reading; stops at the first one that verifies.
 */
export async function readMrz(ocr: MrzOcrEngine, image: Buffer): Promise<MrzReading | null> {
  const page = await decodePage(image);
  let best: MrzReading | null = null;
  const tried = new Set<MrzBand>();
  const attempt = async (band: MrzBand): Promise<boolean> => {
    tried.add(band);
    // The MRZ is at the bottom of an upright page: a band in the upper half is probably upside down.
    const upperHalf = (band.y0 + band.y1) / 2 < band.height / 2;
    for (const flip of upperHalf ? [true, false] : [false, true]) {
      const result = await readBand(ocr, page, band, flip);
      if (result && (!best || result.reading.confidence > best.confidence)) best = result.reading;
      if (result?.complete) return true;
    }
    return false;
  };
  // Most photos are upright (or upside down): try the best upright band first, search the quarter turn after.
  const upright = bandsAt(page, 0);
  if (upright[0] && upright[0].score >= STRONG_BAND && (await attempt(upright[0]))) return best;
  const all = [...upright, ...bandsAt(page, 1)].sort((a, b) => b.score - a.score).slice(0, MAX_BANDS);
  for (const band of all) {
    if (tried.has(band)) continue;
    if (await attempt(band)) return best;
  }
  return best;
}

function bandsAt(page: PageImages, turns: 0 | 1): MrzBand[] {
  const view = rotateQuarter(page.work, turns);
  return groupMrzBands(findTextLines(view), view.width, view.height, turns);
}

/**
 * Lines of 30 or 36 characters are shorter for their height than TD3's 44: a two-line band that short may be a TD1
 * whose third line the finder missed, so the cut reaches one more line up and down.
 */
const TD3_MIN_ASPECT = 38;

async function readBand(ocr: MrzOcrEngine, page: PageImages, band: MrzBand, flip: boolean): Promise<Attempt | null> {
  const aspect = band.lines.reduce((s, l) => s + (l.x1 - l.x0 + 1) / (l.y1 - l.y0 + 1), 0) / band.lines.length;
  const cut = await cutBand(page, band, flip, band.lines.length === 2 && aspect < TD3_MIN_ASPECT ? 1.1 : 0);
  const lines = (await ocr.recognizeLines(cut.png)).filter((l) => l.symbols.length >= 10);
  const repaired = assemble(lines, cut.gray);
  if (!repaired) return null;
  const checks = Object.values(repaired.parsed.checks);
  const passed = checks.filter(Boolean).length / checks.length;
  const plausible = mrzPlausibility(repaired.parsed);
  if (plausible < MIN_PLAUSIBILITY) return null;
  const confidence = round(repaired.meanConfidence * passed * plausible * (repaired.ambiguous ? 0.6 : 1));
  const rotation = (((band.turns + (flip ? 2 : 0)) % 4) * 90) as Rotation;
  return {
    reading: { parsed: repaired.parsed, confidence, rotation, substitutions: repaired.substitutions },
    complete: passed === 1 && plausible === 1 && repaired.meanConfidence >= 0.6,
  };
}

const round = (n: number) => Math.round(n * 1000) / 1000;

/** Candidate layouts for a block of OCR lines, by line count and the first character (V: visa). */
function layoutsFor(count: number, first: string): MrzLayout[] {
  if (count === 3) return [MRZ_LAYOUTS.TD1];
  return first === 'V' ? [MRZ_LAYOUTS['MRV-A'], MRZ_LAYOUTS['MRV-B']] : [MRZ_LAYOUTS.TD3, MRZ_LAYOUTS.TD2];
}

/** The best-verifying reading over every run of 2 or 3 consecutive lines and every layout that fits them. */
function assemble(lines: readonly OcrLine[], gray: GrayImage): RepairedMrz | null {
  let best: { repaired: RepairedMrz; score: number } | null = null;
  const cutoff = inkCutoff(gray);
  for (const count of [3, 2]) {
    for (let i = 0; i + count <= lines.length; i += 1) {
      const block = lines.slice(i, i + count);
      for (const layout of layoutsFor(count, block[0]!.text[0] ?? '')) {
        const symbols = block.reduce((n, l) => n + l.symbols.length, 0);
        // Fragments of split fillers ("<K") do not count towards the line's length.
        const widths = block.flatMap((l) => l.symbols.map((s) => s.x1 - s.x0)).sort((a, b) => a - b);
        const typical = widths[Math.floor(widths.length / 2)] ?? 0;
        const glyphs = block.reduce((n, l) => n + l.symbols.filter((s) => s.x1 - s.x0 >= typical * 0.6).length, 0);
        if (symbols < 0.6 * count * layout.length) continue;
        const grid = fitGrid(block, layout.length);
        if (!grid) continue;
        const read: ReadChar[][] = block.map((line) => {
          const cells = cellsOf(line, grid, layout.length);
          const extent = lineExtent(line);
          return cells.map((cell, k): ReadChar => {
            if (!extent) return cell;
            const x0 = grid.left + k * grid.pitch;
            const glyph = glyphAt(gray, x0, x0 + grid.pitch, extent.top, extent.bottom);
            if (cell.char !== '<' && looksLikeFiller(gray, cutoff, x0, x0 + grid.pitch - 1, extent.top, extent.bottom)) {
              return { char: '<', confidence: 0.9, glyph };
            }
            return { ...cell, glyph };
          });
        });
        const repaired = repairMrz(read, layout);
        if (!repaired) continue;
        const checks = Object.values(repaired.parsed.checks);
        // A layout whose length the OCR's symbol count is far from is a poor fit, however its digits turn out.
        const lengthFit = Math.abs(glyphs / count - layout.length) / layout.length;
        const score = checks.filter(Boolean).length / checks.length + mrzPlausibility(repaired.parsed) + 0.2 * repaired.meanConfidence
          - 2 * lengthFit + (count === 3 ? 0.01 : 0);
        if (!best || score > best.score) best = { repaired, score };
      }
    }
  }
  return best?.repaired ?? null;
}
