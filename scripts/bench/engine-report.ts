/** Markdown tables for the engine stage benchmark. */
import type { EngineInfo } from '../../src/engine/face-engine.js';
import { STAGES, type ImageStages, type Stage } from './engine-stages.js';
import { markdownTable, ms, summarise } from './stats.js';

function stageLabel(stage: Stage, engine: EngineInfo): string {
  const human = engine.name === 'human';
  switch (stage) {
    case 'normalize': return 'normalize (API, once per upload: checks, orientation, re-encode)';
    case 'decode': return 'decode (worker: stored JPEG → RGB)';
    case 'detect': return human
      ? `detect (${engine.detector} 468-point mesh + 5-point alignment; engine time − embed)`
      : `detect (${engine.detector})`;
    case 'describe': return human
      ? `embed (${engine.embeddingSize}-d embedding net, every face found; timed apart)`
      : '68 landmarks + 128-d descriptor ("describe", every face found)';
    case 'compare': return 'compare (euclidean distance of two embeddings)';
    case 'worker total': return '**worker total** (decode + detect + describe + compare)';
  }
}

const finite = (values: readonly number[]) => values.filter(Number.isFinite);

/** One row per stage over every image and recorded pass: median, p95, min, max. */
export function stageTable(results: readonly ImageStages[], engine: EngineInfo): string {
  const rows = STAGES.map((stage) => {
    const values = finite(results.flatMap((r) => r.samples[stage]));
    if (values.length === 0) return [stageLabel(stage, engine), '—', '—', '—', '—', '0'];
    const s = summarise(values);
    return [stageLabel(stage, engine), ms(s.median), ms(s.p95), ms(s.min), ms(s.max), String(s.n)];
  });
  return markdownTable(['stage (ms)', 'median', 'p95', 'min', 'max', 'runs'], rows);
}

/** One row per image: its size as analysed, faces found and the median of each stage. */
export function perImageTable(results: readonly ImageStages[]): string {
  const median = (values: readonly number[]) => (finite(values).length ? summarise(finite(values)).median : null);
  const rows = results.map((r) => [
    r.image.name, `${r.width}×${r.height}`, String(r.faces),
    ...(['normalize', 'decode', 'detect', 'describe', 'worker total'] as const).map((stage) => ms(median(r.samples[stage]))),
  ]);
  return markdownTable(['image', 'analysed at', 'faces', 'normalize', 'decode', 'detect', 'describe', 'worker total'], rows, 2);
}
