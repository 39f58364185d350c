/**
 * `npm run bench -- --only engine --compare-backends`: the engine a worker runs (ENGINE_MODEL) on tfjs WASM and with
 * its native nets on onnxruntime (ENGINE_BACKEND=native), on the same images in one process, stage by stage; the
 * embedding net alone with its GFLOP/s against a plain matrix multiply on each runtime; and how far the two
 * backends' embeddings lie apart. The last line of the report sums it up for scripts:
 * `wasm_ms=… native_ms=… speedup=… max_embedding_delta=…` (whole engine per selfie: detect + describe, medians over
 * images — issue 21's target; the worker total, which adds the JPEG decode both backends share, is in the table).
 */
import os from 'node:os';
import { readFile } from 'node:fs/promises';
import type { Config } from '../../src/config/env.js';
import { initBackend } from '../../src/engine/backend.js';
import { createEngine } from '../../src/engine/create-engine.js';
import { encodeOnnxModel } from '../../src/engine/native/onnx-writer.js';
import { createOrtSession, loadOnnxRuntime } from '../../src/engine/native/onnx-runtime.js';
import { decodeRgb, normalizeUpload, type ImageLimits } from '../../src/images/image-codec.js';
import type { BenchArgs } from './args.js';
import { contentionNote, type CpuShare } from './cpu.js';
import { fivePointEmbedder, withEmbedSplit, type SplitEngine } from './embed-split.js';
import { benchEngineStages, STAGES, type ImageStages, type Stage } from './engine-stages.js';
import { stageTable } from './engine-report.js';
import { countFlops, matmulGflops } from './flops.js';
import { onOneCore } from './one-core.js';
import type { ImageSet } from './images.js';
import { markdownTable, ms, num, summarise } from './stats.js';

type Log = (message: string) => void;
type Print = (...blocks: string[]) => void;

const median = (values: readonly number[]) => summarise(values).median;
const finite = (values: readonly number[]) => values.filter(Number.isFinite);
/** Median over images of each image's median time of `stage`. */
const stageMs = (results: readonly ImageStages[], stage: Stage) =>
  median(results.map((r) => finite(r.samples[stage])).filter((v) => v.length).map(median));

/** The whole engine per selfie (detector, mesh and alignment, then the embedding net): each image's detect + describe. */
const engineMs = (results: readonly ImageStages[]) =>
  median(results.map((r) => [finite(r.samples.detect), finite(r.samples.describe)] as const)
    .filter(([d, e]) => d.length && e.length).map(([d, e]) => median(d) + median(e)));

export async function compareBackends(config: Config, sets: readonly ImageSet[], args: BenchArgs, log: Log, print: Print): Promise<void> {
  const model = config.ENGINE_MODEL;
  if (fivePointEmbedder(model) !== 'faceapi-frnet') {
    throw new Error(`--compare-backends needs a pipeline with a native net (ENGINE_MODEL=human-faceapi-frnet-5pt), not ${model}`);
  }
  const limits: ImageLimits = { maxPixels: config.UPLOAD_MAX_PIXELS, maxSide: config.IMAGE_MAX_SIDE };
  const load = async (backend: 'wasm' | 'native') => withEmbedSplit(await createEngine({
    backend, detector: config.ENGINE_DETECTOR, minDetectionScore: config.ENGINE_MIN_DETECTION_SCORE, model,
  }), model, backend);
  log('loading the engine on both backends...');
  const wasm = await load('wasm');
  const native = await load('native');
  try {
    const all: Record<'wasm' | 'native', ImageStages[]> = { wasm: [], native: [] };
    print(`## Backends compared: ${model}, tfjs WASM against onnxruntime (ENGINE_BACKEND=native)`,
      `Load average before: ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')} on ${os.availableParallelism()} cores. ` +
      'Both engines in this process, one core each (one onnxruntime thread). Native: detector, mesh and embedding net ' +
      `on onnxruntime (${native.engine.info.backend}); WASM: all three on tfjs WASM.`);
    for (const set of sets) {
      // Passes alternate between the backends, so that both see the same share of a busy machine.
      const bySet: Record<'wasm' | 'native', ImageStages[] | null> = { wasm: null, native: null };
      const cpu: Record<'wasm' | 'native', CpuShare> = { wasm: { measured: 0, machine: 0, wallS: 0 }, native: { measured: 0, machine: 0, wallS: 0 } };
      for (let pass = 0; pass < args.reps; pass += 1) {
        for (const [name, split] of [['wasm', wasm], ['native', native]] as const) {
          log(`${name}: ${set.title} (${set.images.length} images), pass ${pass + 1} of ${args.reps}...`);
          const run = await benchEngineStages(split.engine, set, { warmups: pass === 0 ? args.warmups : 0, reps: 1, limits });
          bySet[name] = bySet[name] ? mergeSamples(bySet[name], run.results) : run.results;
          cpu[name] = { measured: cpu[name].measured + run.cpu.measured, machine: cpu[name].machine + run.cpu.machine, wallS: cpu[name].wallS + run.cpu.wallS };
        }
      }
      for (const [name, split] of [['wasm', wasm], ['native', native]] as const) {
        const results = bySet[name] ?? [];
        print(`### ${set.title}, ${split.engine.info.backend}`, stageTable(results, split.engine.info), contentionNote(cpu[name], 'this benchmark'));
        all[name].push(...results);
      }
    }
    const rows = STAGES.filter((s) => s !== 'normalize').map((stage) => {
      const w = stageMs(all.wasm, stage);
      const n = stageMs(all.native, stage);
      return [stage, ms(w), ms(n), `${num(w / n, 2)}×`];
    });
    const [wasmEngine, nativeEngine] = [engineMs(all.wasm), engineMs(all.native)];
    rows.push(['**whole engine** (detect + describe)', ms(wasmEngine), ms(nativeEngine), `${num(wasmEngine / nativeEngine, 2)}×`]);
    print('### Per stage (median over images of each image\'s median)', markdownTable(['stage', 'wasm ms', 'native ms', 'speed-up'], rows));

    log('embedding net alone, FLOPs and matrix multiplies...');
    print('### Embedding net alone and the matrix-multiply limit', await netReport(wasm, native));

    const delta = await embeddingDelta(wasm, native, sets, limits);
    print(`Embeddings of the same faces (${delta.faces} faces in ${delta.images} images): largest absolute difference ` +
      `${delta.maxAbs.toExponential(2)}, largest 1 − cosine ${delta.maxCosineGap.toExponential(2)}.`);
    const cpu = await onOneCore(() => cpuPerSelfie(wasm, native, sets, limits, args.reps));
    print(`CPU time per selfie (decode + engine; this process's user + system time, which other processes' load ` +
      `inflates far less than wall time; median over images of each image's median of ${args.reps}): ` +
      `wasm ${ms(cpu.result.wasm)} ms, native ${ms(cpu.result.native)} ms, ${num(cpu.result.wasm / cpu.result.native, 2)}×.`);
    print(`Load average after: ${os.loadavg().map((l) => l.toFixed(1)).join(' / ')}.`,
      `wasm_ms=${wasmEngine.toFixed(1)} native_ms=${nativeEngine.toFixed(1)} speedup=${(wasmEngine / nativeEngine).toFixed(2)} ` +
      `max_embedding_delta=${delta.maxAbs.toExponential(2)}`);
  } finally {
    await native.dispose();
    await wasm.dispose();
  }
}

/** `later`'s samples appended to `earlier`'s, image by image (both from the same set, in the same order). */
function mergeSamples(earlier: ImageStages[], later: readonly ImageStages[]): ImageStages[] {
  return earlier.map((r, i) => ({
    ...r,
    samples: Object.fromEntries(STAGES.map((stage) => [stage, [...r.samples[stage], ...(later[i]?.samples[stage] ?? [])]])) as Record<Stage, number[]>,
  }));
}

/** The embedding net timed alone on each runtime, its GFLOP/s, and a plain n×n multiply on each runtime. */
async function netReport(wasm: SplitEngine, native: SplitEngine): Promise<string> {
  if (!wasm.embed || !native.embed) throw new Error('no separate embedding net to time');
  const { tf } = await initBackend({ backend: 'wasm' });
  // tf.profile sees only tfjs kernels, so the FLOPs are counted on the wasm net; the native graph does the same work.
  const { flops } = await countFlops(tf, () => wasm.embed!.net.embed(wasm.embed!.crop));
  // Interleaved, for the same reason as the passes above.
  const times: Record<'w' | 'n', number[]> = { w: [], n: [] };
  for (let i = 0; i < 14; i += 1) {
    for (const [key, split] of [['w', wasm], ['n', native]] as const) {
      const start = performance.now();
      await split.embed!.net.embed(split.embed!.crop);
      if (i >= 2) times[key].push(performance.now() - start);
    }
  }
  const w = median(times.w);
  const n = median(times.n);
  const rate = (msValue: number) => num(flops / msValue / 1e6, 1);
  const rows = [
    ['embedding net per face, crop + mirror (tfjs WASM)', num(flops / 1e6, 0), ms(w), rate(w)],
    ['embedding net per face, crop + mirror (onnxruntime, 1 thread)', num(flops / 1e6, 0), ms(n), rate(n)],
  ];
  for (const side of [512, 1024]) {
    const tfjs = await matmulGflops(tf, side, 8);
    rows.push([`reference: tf.matMul ${side}×${side} (WASM)`, num((2 * side ** 3) / 1e6, 0), ms(tfjs.ms), num(tfjs.median, 1)]);
    const ort = await ortMatmulMs(side, 8);
    rows.push([`reference: onnxruntime MatMul ${side}×${side} (1 thread)`, num((2 * side ** 3) / 1e6, 0), ms(ort), num((2 * side ** 3) / ort / 1e6, 1)]);
  }
  return markdownTable(['work', 'MFLOP', 'median ms', 'GFLOP/s'], rows);
}

/** Median time of one n×n float32 MatMul on onnxruntime with one thread: the native limit the net is held to. */
async function ortMatmulMs(side: number, reps: number): Promise<number> {
  const { ort, error } = loadOnnxRuntime();
  if (!ort) throw new Error('onnxruntime-node could not be loaded', { cause: error });
  const model = encodeOnnxModel({
    name: 'matmul', opset: 17, producer: 'zinda bench', docString: '',
    nodes: [{ op: 'MatMul', inputs: ['a', 'b'], outputs: ['c'] }], initializers: [],
    inputs: [{ name: 'a', shape: [side, side] }, { name: 'b', shape: [side, side] }], outputs: [{ name: 'c', shape: [side, side] }],
  });
  const session = await createOrtSession(ort, model);
  try {
    const values = Float32Array.from({ length: side * side }, (_, i) => ((i * 7919) % 2001) / 1000 - 1);
    const feeds = { a: new ort.Tensor('float32', values, [side, side]), b: new ort.Tensor('float32', values, [side, side]) };
    const times: number[] = [];
    for (let i = 0; i < reps + 3; i += 1) {
      const start = performance.now();
      await session.run(feeds);
      if (i >= 3) times.push(performance.now() - start);
    }
    return median(times);
  } finally {
    await session.release();
  }
}

/** Median CPU milliseconds (user + system) per selfie of decoding it and running each engine, interleaved. */
async function cpuPerSelfie(wasm: SplitEngine, native: SplitEngine, sets: readonly ImageSet[], limits: ImageLimits, reps: number) {
  const perImage: Record<'wasm' | 'native', number[]> = { wasm: [], native: [] };
  for (const image of sets.flatMap((s) => s.images)) {
    const { jpeg } = await normalizeUpload(await readFile(image.path), 'selfie', limits);
    const samples: Record<'wasm' | 'native', number[]> = { wasm: [], native: [] };
    for (let rep = 0; rep < reps; rep += 1) {
      for (const [name, split] of [['wasm', wasm], ['native', native]] as const) {
        const start = process.cpuUsage();
        await split.engine.detectFaces(await decodeRgb(jpeg));
        const used = process.cpuUsage(start);
        samples[name].push((used.user + used.system) / 1000);
      }
    }
    perImage.wasm.push(median(samples.wasm));
    perImage.native.push(median(samples.native));
  }
  return { wasm: median(perImage.wasm), native: median(perImage.native) };
}

/** Largest difference between the two backends' embeddings of the same faces. */
async function embeddingDelta(wasm: SplitEngine, native: SplitEngine, sets: readonly ImageSet[], limits: ImageLimits) {
  let maxAbs = 0;
  let maxCosineGap = 0;
  let faces = 0;
  let images = 0;
  for (const image of sets.flatMap((s) => s.images)) {
    const rgb = await decodeRgb((await normalizeUpload(await readFile(image.path), 'selfie', limits)).jpeg);
    const [a, b] = [await wasm.engine.detectFaces(rgb), await native.engine.detectFaces(rgb)];
    if (a.length !== b.length) throw new Error(`${image.name}: ${a.length} faces on wasm, ${b.length} native`);
    images += 1;
    a.forEach((face, i) => {
      const other = (b[i] as (typeof b)[number]).embedding;
      let dot = 0;
      face.embedding.forEach((v, k) => {
        maxAbs = Math.max(maxAbs, Math.abs(v - (other[k] as number)));
        dot += v * (other[k] as number);
      });
      maxCosineGap = Math.max(maxCosineGap, 1 - dot);
      faces += 1;
    });
  }
  return { maxAbs, maxCosineGap, faces, images };
}
