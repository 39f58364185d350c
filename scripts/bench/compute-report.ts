/**
 * The "physical limit" section: FLOPs of the engine per image and per face, the GFLOP/s they run at (FLOPs over
 * the stage benchmark's median times), and a plain matrix multiply on the same backend in the same process.
 */
import { readFile } from 'node:fs/promises';
import type { Tf } from '../../src/engine/backend.js';
import { decodeRgb, normalizeUpload, type ImageLimits } from '../../src/images/image-codec.js';
import type { SplitEngine } from './embed-split.js';
import type { ImageStages } from './engine-stages.js';
import { countFlops, matmulGflops } from './flops.js';
import { markdownTable, ms, num, summarise } from './stats.js';

/** Matrix sides of the reference multiply. */
export const MATMUL_SIDES = [256, 512, 1024] as const;

const median = (values: readonly number[]) => summarise(values).median;
const mflop = (flops: number) => num(flops / 1e6, 0);

/**
 * Counts the FLOPs of every image of the stage benchmark (one profiled run each, untimed), then times the
 * reference multiplies. `results` are the stage benchmark's samples for the same images.
 */
export async function computeReport(split: SplitEngine, tf: Tf, results: readonly ImageStages[], limits: ImageLimits): Promise<string[]> {
  const tensorsBefore = tf.memory().numTensors;
  const perImage: { flops: number; ms: number; detectFlops: number; detectMs: number }[] = [];
  let counted = 0;
  let all = 0;
  const byKernel = new Map<string, number>();
  let embed: { flops: number; ms: number } | null = null;
  if (split.embed) {
    const { net, crop } = split.embed;
    const count = await countFlops(tf, () => net.embed(crop));
    const times: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const start = performance.now();
      await net.embed(crop);
      times.push(performance.now() - start);
    }
    embed = { flops: count.flops, ms: median(times) };
  }
  for (const r of results) {
    const { jpeg } = await normalizeUpload(await readFile(r.image.path), 'selfie', limits);
    const rgb = await decodeRgb(jpeg);
    const count = await countFlops(tf, () => split.engine.detectFaces(rgb));
    counted += count.countedMs;
    all += count.allMs;
    for (const k of count.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + 2 * k.macs);
    const engineMs = median(r.samples.detect.map((d, i) => d + (Number.isFinite(r.samples.describe[i]) ? r.samples.describe[i]! : 0)));
    const embedFlops = embed ? embed.flops * r.faces : 0;
    perImage.push({ flops: count.flops, ms: engineMs, detectFlops: count.flops - embedFlops, detectMs: median(r.samples.detect) });
  }
  const leaked = tf.memory().numTensors - tensorsBefore;
  if (leaked !== 0) throw new Error(`tensor count changed by ${leaked} while counting FLOPs`);

  const rate = (flops: number, msValue: number) => num(flops / msValue / 1e6, 2);
  const rows: string[][] = [];
  const whole = {
    flops: median(perImage.map((p) => p.flops)), ms: median(perImage.map((p) => p.ms)),
    rate: median(perImage.map((p) => p.flops / p.ms / 1e6)),
  };
  if (embed) {
    const detect = {
      flops: median(perImage.map((p) => p.detectFlops)), ms: median(perImage.map((p) => p.detectMs)),
      rate: median(perImage.map((p) => p.detectFlops / p.detectMs / 1e6)),
    };
    rows.push([`embedding net, per face (${split.embed!.spec.id}, ${split.embed!.spec.inputSize} px crop${split.embed!.spec.flip ? ' + its mirror' : ''})`,
      mflop(embed.flops), ms(embed.ms), rate(embed.flops, embed.ms)]);
    rows.push(['detector + mesh + alignment, per image (median over images)', mflop(detect.flops), ms(detect.ms), num(detect.rate, 2)]);
  }
  rows.push(['**whole engine per image** (detectFaces; median over images)', mflop(whole.flops), ms(whole.ms), num(whole.rate, 2)]);
  for (const n of MATMUL_SIDES) {
    const m = await matmulGflops(tf, n, n >= 1024 ? 8 : 20);
    rows.push([`reference: tf.matMul ${n}×${n} float32 (same backend, same process; min–max ${num(m.min, 1)}–${num(m.max, 1)})`,
      mflop(2 * n ** 3), ms(m.ms), num(m.median, 2)]);
  }
  const total = [...byKernel.values()].reduce((a, b) => a + b, 0);
  const kernels = [...byKernel.entries()].sort((a, b) => b[1] - a[1])
    .map(([name, flops]) => `${name} ${Math.round((100 * flops) / total)} %`).join(', ');
  return [
    markdownTable(['work', 'MFLOP', 'median ms', 'GFLOP/s'], rows),
    `FLOPs are 2 × the multiply-adds of every convolution and matrix multiply tf.profile saw in one run per image ` +
      `(${results.length} images; activations, pooling and resizing not counted). Counted FLOPs by kernel: ${kernels}. ` +
      `In the profiled runs these kernels took ${Math.round((100 * counted) / Math.max(all, 1e-9))} % of all kernel time.`,
  ];
}
