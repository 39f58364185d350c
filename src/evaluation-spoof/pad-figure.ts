/**
 * The PAD evaluation as one PNG: left, APCER (per attack species and pooled) and BPCER against the score
 * threshold, with the operating points marked; right, the score distributions of bona fide and attack images.
 * Drawn as SVG and rasterised by sharp (no plotting dependency).
 */
import sharp from 'sharp';
import type { ScoredSample } from './pad-metrics.js';
import { operatingPoint } from './pad-metrics.js';

const W = 1200;
const H = 520;
const COLOURS = ['#1f5fbf', '#d9822b', '#2a9d4b', '#8e44ad', '#c0392b', '#7f8c8d', '#17becf', '#bcbd22'];

/** Bona fide scores from outside the set (fitted photo folders, held-out photos), drawn beside it. */
export interface ExtraBonaFide {
  readonly label: string;
  readonly scores: readonly number[];
}

const EXTRA_COLOURS = ['#0b7a75', '#111111', '#555555'];

export async function padFigurePng(
  title: string, samples: readonly ScoredSample[], marks: readonly { label: string; threshold: number }[], extras: readonly ExtraBonaFide[] = [],
): Promise<Buffer> {
  const svg: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="DejaVu Sans, Arial" font-size="13">`,
    `<rect width="${W}" height="${H}" fill="white"/>`, `<text x="${W / 2}" y="24" text-anchor="middle" font-size="16">${esc(title)}</text>`];
  // Left: error rates against threshold.
  const L = { x: 70, y: 50, w: 480, h: 400 };
  const sx = (t: number) => L.x + t * L.w;
  const sy = (r: number) => L.y + (1 - r) * L.h;
  axes(svg, L, 'score threshold', 'error rate');
  const thresholds = Array.from({ length: 201 }, (_, k) => k / 200);
  const types = [...new Set(samples.filter((s) => s.label === 'attack').map((s) => s.attackType ?? 'unknown'))].sort();
  const series: { label: string; values: number[] }[] = [
    { label: 'BPCER spoof set (bona fide refused)', values: thresholds.map((t) => operatingPoint(samples, t).bpcer) },
    { label: 'APCER all attacks', values: thresholds.map((t) => operatingPoint(samples, t).apcer) },
    ...types.map((type) => {
      const n = samples.filter((s) => s.attackType === type).length;
      return { label: `APCER ${type} (n=${n})`, values: thresholds.map((t) => operatingPoint(samples, t).apcerByType[type]?.apcer ?? 0) };
    }),
  ];
  series.push(...extras.map((e) => ({ label: `BPCER ${e.label} (n=${e.scores.length})`, values: thresholds.map((t) => e.scores.filter((v) => v < t).length / Math.max(1, e.scores.length)) })));
  series.forEach((s, k) => {
    const extra = k >= series.length - extras.length;
    const colour = extra ? EXTRA_COLOURS[(k - series.length + extras.length) % EXTRA_COLOURS.length] as string : COLOURS[k % COLOURS.length] as string;
    svg.push(`<polyline fill="none" stroke="${colour}" stroke-width="${k < 2 || extra ? 2.5 : 1.5}" ${k > 1 ? `stroke-dasharray="${extra ? '1,3' : '5,3'}"` : ''} points="${s.values.map((v, i) => `${sx(thresholds[i] as number).toFixed(1)},${sy(v).toFixed(1)}`).join(' ')}"/>`);
    svg.push(`<line x1="${L.x + 10}" x2="${L.x + 34}" y1="${L.y + 16 + k * 18}" y2="${L.y + 16 + k * 18}" stroke="${colour}" stroke-width="2.5"/><text x="${L.x + 40}" y="${L.y + 20 + k * 18}">${esc(s.label)}</text>`);
  });
  for (const mark of marks) {
    const p = operatingPoint(samples, mark.threshold);
    svg.push(`<line x1="${sx(mark.threshold)}" x2="${sx(mark.threshold)}" y1="${L.y}" y2="${L.y + L.h}" stroke="#444" stroke-dasharray="2,3"/>`);
    svg.push(`<text x="${sx(mark.threshold) + 4}" y="${L.y + L.h - 8 - marks.indexOf(mark) * 16}" font-size="12">${esc(`${mark.label}: APCER ${pct(p.apcer)}, BPCER ${pct(p.bpcer)}`)}</text>`);
  }
  // Right: score histograms.
  const R = { x: 680, y: 50, w: 480, h: 400 };
  axes(svg, R, 'liveness score', 'share of images');
  const bins = 20;
  const hist = (label: 'real' | 'attack') => {
    const scores = samples.filter((s) => s.label === label && s.score !== null).map((s) => s.score as number);
    const counts = new Array<number>(bins).fill(0);
    for (const v of scores) counts[Math.min(bins - 1, Math.floor(v * bins))]! += 1;
    return counts.map((c) => c / Math.max(1, scores.length));
  };
  const real = hist('real');
  const attack = hist('attack');
  const extraHists = extras.map((e) => {
    const counts = new Array<number>(bins).fill(0);
    for (const v of e.scores) counts[Math.min(bins - 1, Math.floor(v * bins))]! += 1;
    return counts.map((c) => c / Math.max(1, e.scores.length));
  });
  const top = Math.max(...real, ...attack, ...extraHists.flat(), 0.01);
  const bw = R.w / bins;
  [['#2a9d4b', real, 'bona fide (spoof set)'], ['#c0392b', attack, 'attack']].forEach(([colour, values, label], k) => {
    (values as number[]).forEach((v, i) => {
      const h = (v / top) * R.h;
      svg.push(`<rect x="${(R.x + i * bw + (k ? bw / 2 : 0)).toFixed(1)}" y="${(R.y + R.h - h).toFixed(1)}" width="${(bw / 2 - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${colour}" opacity="0.8"/>`);
    });
    svg.push(`<rect x="${R.x + 10}" y="${R.y + 8 + k * 18}" width="14" height="10" fill="${colour}"/><text x="${R.x + 30}" y="${R.y + 18 + k * 18}">${label}</text>`);
  });
  // Other bona fide sources as outlines over the bars.
  extras.forEach((e, k) => {
    const share = (extraHists[k] as number[]).map((v) => v / top);
    const colour = EXTRA_COLOURS[k % EXTRA_COLOURS.length] as string;
    const points = share.flatMap((v, i) => [`${(R.x + i * bw).toFixed(1)},${(R.y + R.h - v * R.h).toFixed(1)}`, `${(R.x + (i + 1) * bw).toFixed(1)},${(R.y + R.h - v * R.h).toFixed(1)}`]);
    svg.push(`<polyline fill="none" stroke="${colour}" stroke-width="2" points="${R.x},${R.y + R.h} ${points.join(' ')} ${R.x + R.w},${R.y + R.h}"/>`);
    svg.push(`<line x1="${R.x + 10}" x2="${R.x + 24}" y1="${R.y + 49 + k * 18}" y2="${R.y + 49 + k * 18}" stroke="${colour}" stroke-width="2"/><text x="${R.x + 30}" y="${R.y + 54 + k * 18}">${esc(e.label)} (outline)</text>`);
  });
  for (const mark of marks) svg.push(`<line x1="${R.x + mark.threshold * R.w}" x2="${R.x + mark.threshold * R.w}" y1="${R.y}" y2="${R.y + R.h}" stroke="#444" stroke-dasharray="2,3"/>`);
  svg.push(`<text x="${R.x + R.w}" y="${R.y - 6}" text-anchor="end" font-size="11">bars scaled to the tallest (${pct(top)})</text>`);
  svg.push('</svg>');
  return sharp(Buffer.from(svg.join('\n'))).png().toBuffer();
}

function axes(svg: string[], b: { x: number; y: number; w: number; h: number }, xLabel: string, yLabel: string): void {
  svg.push(`<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${b.h}" fill="none" stroke="#333"/>`);
  for (let k = 0; k <= 10; k += 2) {
    const v = k / 10;
    svg.push(`<text x="${b.x + v * b.w}" y="${b.y + b.h + 16}" text-anchor="middle" font-size="11">${v.toFixed(1)}</text>`);
    svg.push(`<text x="${b.x - 6}" y="${b.y + (1 - v) * b.h + 4}" text-anchor="end" font-size="11">${v.toFixed(1)}</text>`);
    svg.push(`<line x1="${b.x}" x2="${b.x + b.w}" y1="${b.y + (1 - v) * b.h}" y2="${b.y + (1 - v) * b.h}" stroke="#eee"/>`);
  }
  svg.push(`<text x="${b.x + b.w / 2}" y="${b.y + b.h + 36}" text-anchor="middle">${esc(xLabel)}</text>`);
  svg.push(`<text transform="translate(${b.x - 44},${b.y + b.h / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>`);
}

const pct = (v: number) => `${(v * 100).toFixed(1)}%`;
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
