import {
  blackHat, close, componentCore, horizontalGradient, labelComponents, open, otsuThreshold, rotateQuarter, threshold,
  type GrayImage,
} from './gray-image.js';

/** A text line found in the working image. */
export interface TextLine {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  readonly slope: number;
}

/** A group of 2-3 long, parallel, evenly spaced lines: the MRZ band candidate, in working-image pixels. */
export interface MrzBand {
  /** Quarter turns clockwise applied to the working image before finding the band. */
  readonly turns: 0 | 1 | 2 | 3;
  readonly lines: readonly TextLine[];
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
  /** Size of the (rotated) working image. */
  readonly width: number;
  readonly height: number;
  /** Mean slope of the lines (dy/dx). */
  readonly slope: number;
  readonly score: number;
}

const odd = (n: number) => Math.max(1, Math.round(n) | 1);

/**
 * Text lines of horizontal text: black-hat brings out dark strokes, the horizontal gradient keeps the vertical
 * edges that characters are made of, a horizontal closing joins the characters of a line, Otsu separates them from
 * the background. Kernel sizes scale with the image width: the MRZ spans most of a photographed page.
 */
export function findTextLines(img: GrayImage): TextLine[] {
  const w = img.width;
  const hat = blackHat(img, odd(w / 60), odd(w / 160));
  const grad = horizontalGradient(hat);
  const joined = close(grad, odd(w / 45), 1);
  // A short vertical closing fills the chevrons of filler runs (two thin arms, little vertical edge); the opening
  // then removes specks and cuts text lines loose from vertical strokes (a card edge) that would join them.
  const binary = open(close(threshold(joined, otsuThreshold(joined)), 1, odd(w / 160)), odd(w / 60), odd(w / 300));
  const { components, labels } = labelComponents(binary);
  const lines: TextLine[] = [];
  components.forEach((c, label) => {
    if (c.x1 - c.x0 < w * 0.2) return;
    // Judge the line by its body: a stamp or a stroke touching it must not make it look tall.
    const core = componentCore(labels, w, label, c);
    if ((c.x1 - c.x0) / (core.y1 - core.y0 + 1) < 6) return;
    lines.push({ x0: c.x0, y0: core.y0, x1: c.x1, y1: core.y1, slope: c.slope });
  });
  return lines;
}

const lineHeight = (l: TextLine) => l.y1 - l.y0 + 1;
const lineWidth = (l: TextLine) => l.x1 - l.x0 + 1;
const centreY = (l: TextLine) => (l.y0 + l.y1) / 2;

function similar(a: TextLine, b: TextLine): boolean {
  const ha = lineHeight(a), hb = lineHeight(b);
  const overlap = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const pitch = Math.abs(centreY(b) - centreY(a));
  return (
    Math.max(ha, hb) / Math.min(ha, hb) <= 1.8 &&
    overlap >= 0.6 * Math.min(lineWidth(a), lineWidth(b)) &&
    Math.max(lineWidth(a), lineWidth(b)) / Math.min(lineWidth(a), lineWidth(b)) <= 1.4 &&
    pitch >= 1.1 * Math.min(ha, hb) && pitch <= 3.2 * Math.max(ha, hb)
  );
}

/** Groups of 2 or 3 consecutive similar lines, scored by length, regularity and closeness to the bottom. */
export function groupMrzBands(lines: readonly TextLine[], width: number, height: number, turns: MrzBand['turns']): MrzBand[] {
  const sorted = [...lines].sort((a, b) => centreY(a) - centreY(b));
  const bands: MrzBand[] = [];
  for (let i = 0; i < sorted.length; i += 1) {
    const group = [sorted[i]!];
    for (let j = i + 1; j < sorted.length && group.length < 3; j += 1) {
      if (similar(group[group.length - 1]!, sorted[j]!)) group.push(sorted[j]!);
    }
    if (group.length < 2) continue;
    const x0 = Math.min(...group.map((l) => l.x0));
    const x1 = Math.max(...group.map((l) => l.x1));
    const y0 = Math.min(...group.map((l) => l.y0));
    const y1 = Math.max(...group.map((l) => l.y1));
    const meanWidth = group.reduce((s, l) => s + lineWidth(l), 0) / group.length;
    const meanHeight = group.reduce((s, l) => s + lineHeight(l), 0) / group.length;
    const aspect = meanWidth / meanHeight;
    const score = (meanWidth / width) * Math.min(aspect / 20, 1.5) * (0.75 + 0.25 * (centreY(group[0]!) / height)) * (group.length === 3 ? 1.05 : 1);
    bands.push({
      turns, lines: group, x0, y0, x1, y1, width, height,
      slope: group.reduce((s, l) => s + l.slope, 0) / group.length, score,
    });
  }
  return bands.sort((a, b) => b.score - a.score);
}

/**
 * Candidate MRZ bands in the image as it is and turned a quarter (text running up or down the photo), best first.
 * A band found upright may still be upside down: the reader tries both.
 */
export function findMrzBands(img: GrayImage): MrzBand[] {
  const bands: MrzBand[] = [];
  for (const turns of [0, 1] as const) {
    const view = rotateQuarter(img, turns);
    bands.push(...groupMrzBands(findTextLines(view), view.width, view.height, turns));
  }
  return bands.sort((a, b) => b.score - a.score);
}
