/**
 * Figures of a report as PNG without native plotting dependencies: the chart is written as SVG and rasterised by
 * sharp (librsvg, shipped inside sharp's prebuilt libvips).
 */
import sharp from 'sharp';
import { histogram, operatingPointAt, rocCurve, type SortedScores } from './metrics.js';

const WIDTH = 760;
const HEIGHT = 520;
const MARGIN = { left: 78, right: 24, top: 48, bottom: 62 };
const COLOURS = ['#1f5fbf', '#d9822b', '#2a9d4b', '#8e44ad'];

export interface CurveSeries {
  readonly label: string;
  readonly scores: SortedScores;
}

export interface MarkedThreshold {
  readonly label: string;
  readonly distance: number;
}

/**
 * DET curve: false reject rate against false accept rate, both on log axes, one line per series, with the given
 * thresholds marked on each series where they fall.
 */
export function detSvg(title: string, series: readonly CurveSeries[], marks: readonly MarkedThreshold[]): string {
  const minImpostors = Math.max(...series.map((s) => s.scores.impostor.length), 10);
  const xMin = 10 ** Math.floor(Math.log10(1 / minImpostors));
  const minGenuine = Math.max(...series.map((s) => s.scores.genuine.length), 10);
  const yMin = Math.min(1e-2, 10 ** Math.floor(Math.log10(1 / minGenuine)));
  const plot = new Plot(title, 'false accept rate (impostor pairs accepted)', 'false reject rate (genuine pairs rejected)');
  const x = plot.logScale(xMin, 1, 'x');
  const y = plot.logScale(yMin, 1, 'y');
  plot.logGrid(xMin, 1, 'x');
  plot.logGrid(yMin, 1, 'y');
  series.forEach((s, k) => {
    const colour = COLOURS[k % COLOURS.length] as string;
    // Below one impostor pair the series cannot tell FARs apart: its curve starts at FAR 1/N.
    const floor = Math.max(xMin, 1 / s.scores.impostor.length);
    const points = rocCurve(s.scores, 600)
      .filter((p, i, all) => p.far >= floor || (all[i + 1]?.far ?? 0) >= floor)
      .map((p) => [x(Math.max(p.far, floor)), y(Math.max(1 - p.tar, yMin))] as const);
    plot.polyline(points, colour);
    plot.legend(k, `${s.label} (${s.scores.genuine.length} genuine, ${s.scores.impostor.length} impostor)`, colour);
    for (const mark of marks) {
      const p = operatingPointAt(s.scores, mark.distance);
      const px = x(Math.max(p.far, floor));
      const py = y(Math.max(p.frr, yMin));
      plot.marker(px, py, colour, `${mark.label}: FAR ${fmt(p.far)}, FRR ${fmt(p.frr)}`);
    }
  });
  return plot.svg();
}

/** Genuine and impostor distance distributions (each normalised to its own total), thresholds as vertical lines. */
export function histogramSvg(title: string, scores: SortedScores, marks: readonly MarkedThreshold[]): string {
  const all = [scores.genuine[0], scores.genuine[scores.genuine.length - 1], scores.impostor[0], scores.impostor[scores.impostor.length - 1]]
    .filter((v): v is number => v !== undefined);
  const lo = Math.max(0, Math.min(...all, ...marks.map((m) => m.distance)) * 0.95);
  const hi = Math.max(...all, ...marks.map((m) => m.distance)) * 1.02;
  const bins = 60;
  const genuine = histogram(scores.genuine, bins, lo, hi);
  const impostor = histogram(scores.impostor, bins, lo, hi);
  const share = (counts: readonly number[], total: number) => counts.map((c) => (total ? c / total : 0));
  const g = share(genuine.counts, scores.genuine.length);
  const i = share(impostor.counts, scores.impostor.length);
  const top = Math.max(...g, ...i) * 1.08 || 1;
  const plot = new Plot(title, 'distance (Euclidean, lower = more alike)', 'share of pairs per bin');
  const x = plot.linearScale(lo, hi, 'x');
  const y = plot.linearScale(0, top, 'y');
  plot.linearGrid(lo, hi, 'x');
  plot.linearGrid(0, top, 'y');
  const step = (shares: number[]) => shares.flatMap((s, k) => [[x(lo + ((hi - lo) * k) / bins), y(s)], [x(lo + ((hi - lo) * (k + 1)) / bins), y(s)]] as const);
  plot.polyline(step(g), COLOURS[2] as string, 0.25);
  plot.polyline(step(i), '#c0392b', 0.25);
  plot.legend(0, `genuine (${scores.genuine.length} pairs)`, COLOURS[2] as string);
  plot.legend(1, `impostor (${scores.impostor.length} pairs)`, '#c0392b');
  marks.forEach((m) => plot.vline(x(m.distance), `${m.label} ${m.distance.toFixed(3)}`));
  return plot.svg();
}

export async function svgToPng(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg), { density: 96 }).png({ compressionLevel: 9 }).toBuffer();
}

class Plot {
  private readonly parts: string[] = [];
  private readonly w = WIDTH - MARGIN.left - MARGIN.right;
  private readonly h = HEIGHT - MARGIN.top - MARGIN.bottom;
  private markers = 0;

  constructor(title: string, xLabel: string, yLabel: string) {
    this.parts.push(
      `<rect width="${WIDTH}" height="${HEIGHT}" fill="white"/>`,
      `<text x="${WIDTH / 2}" y="28" text-anchor="middle" font-size="17" font-weight="bold">${esc(title)}</text>`,
      `<text x="${MARGIN.left + this.w / 2}" y="${HEIGHT - 14}" text-anchor="middle" font-size="13">${esc(xLabel)}</text>`,
      `<text transform="translate(18 ${MARGIN.top + this.h / 2}) rotate(-90)" text-anchor="middle" font-size="13">${esc(yLabel)}</text>`,
      `<rect x="${MARGIN.left}" y="${MARGIN.top}" width="${this.w}" height="${this.h}" fill="none" stroke="#333"/>`,
    );
  }

  logScale(min: number, max: number, axis: 'x' | 'y'): (v: number) => number {
    const [a, b] = [Math.log10(min), Math.log10(max)];
    return axis === 'x'
      ? (v) => MARGIN.left + ((Math.log10(v) - a) / (b - a)) * this.w
      : (v) => MARGIN.top + this.h - ((Math.log10(v) - a) / (b - a)) * this.h;
  }

  linearScale(min: number, max: number, axis: 'x' | 'y'): (v: number) => number {
    return axis === 'x'
      ? (v) => MARGIN.left + ((v - min) / (max - min)) * this.w
      : (v) => MARGIN.top + this.h - ((v - min) / (max - min)) * this.h;
  }

  logGrid(min: number, max: number, axis: 'x' | 'y'): void {
    const scale = this.logScale(min, max, axis);
    for (let e = Math.round(Math.log10(min)); e <= Math.round(Math.log10(max)); e++) this.tick(scale(10 ** e), axis, e === 0 ? '1' : `1e${e}`);
  }

  linearGrid(min: number, max: number, axis: 'x' | 'y'): void {
    const scale = this.linearScale(min, max, axis);
    const step = niceStep((max - min) / 6);
    for (let v = Math.ceil(min / step) * step; v <= max + 1e-12; v += step) this.tick(scale(v), axis, trimNumber(v));
  }

  polyline(points: readonly (readonly [number, number])[], colour: string, opacity = 0): void {
    const d = points.map(([px, py]) => `${px.toFixed(1)},${py.toFixed(1)}`).join(' ');
    if (opacity > 0) {
      const baseline = MARGIN.top + this.h;
      const first = points[0];
      const last = points[points.length - 1];
      if (first && last) {
        this.parts.push(`<polygon points="${first[0].toFixed(1)},${baseline} ${d} ${last[0].toFixed(1)},${baseline}" fill="${colour}" fill-opacity="${opacity}" stroke="none"/>`);
      }
    }
    this.parts.push(`<polyline points="${d}" fill="none" stroke="${colour}" stroke-width="2"/>`);
  }

  legend(index: number, text: string, colour: string): void {
    const y = MARGIN.top + 18 + index * 18;
    const x = MARGIN.left + this.w - 10;
    this.parts.push(
      `<line x1="${x - 22}" y1="${y - 4}" x2="${x}" y2="${y - 4}" stroke="${colour}" stroke-width="3"/>`,
      `<text x="${x - 28}" y="${y}" text-anchor="end" font-size="12">${esc(text)}</text>`,
    );
  }

  marker(px: number, py: number, colour: string, text: string): void {
    const y = MARGIN.top + this.h - 12 - this.markers * 16;
    this.markers++;
    this.parts.push(
      `<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="5" fill="white" stroke="${colour}" stroke-width="2.5"/>`,
      `<text x="${MARGIN.left + 10}" y="${y}" font-size="11.5" fill="${colour}">○ ${esc(text)}</text>`,
    );
  }

  vline(px: number, text: string): void {
    this.parts.push(
      `<line x1="${px.toFixed(1)}" y1="${MARGIN.top}" x2="${px.toFixed(1)}" y2="${MARGIN.top + this.h}" stroke="#555" stroke-dasharray="5 4"/>`,
      `<text transform="translate(${(px - 4).toFixed(1)} ${MARGIN.top + 8}) rotate(-90)" text-anchor="end" font-size="11">${esc(text)}</text>`,
    );
  }

  svg(): string {
    return `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" font-family="DejaVu Sans, sans-serif">${this.parts.join('')}</svg>`;
  }

  private tick(p: number, axis: 'x' | 'y', label: string): void {
    if (axis === 'x') {
      this.parts.push(
        `<line x1="${p.toFixed(1)}" y1="${MARGIN.top}" x2="${p.toFixed(1)}" y2="${MARGIN.top + this.h}" stroke="#e3e3e3"/>`,
        `<text x="${p.toFixed(1)}" y="${MARGIN.top + this.h + 18}" text-anchor="middle" font-size="12">${label}</text>`,
      );
    } else {
      this.parts.push(
        `<line x1="${MARGIN.left}" y1="${p.toFixed(1)}" x2="${MARGIN.left + this.w}" y2="${p.toFixed(1)}" stroke="#e3e3e3"/>`,
        `<text x="${MARGIN.left - 8}" y="${(p + 4).toFixed(1)}" text-anchor="end" font-size="12">${label}</text>`,
      );
    }
  }
}

function niceStep(raw: number): number {
  const power = 10 ** Math.floor(Math.log10(raw));
  const f = raw / power;
  return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * power;
}

const trimNumber = (v: number) => String(Math.round(v * 1e6) / 1e6);
const fmt = (v: number) => (v === 0 ? '0' : v < 0.01 ? v.toExponential(1) : v.toFixed(3));
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
