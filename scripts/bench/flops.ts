/**
 * How close the engine runs to the machine's limit: floating-point operations per image, counted from the tfjs
 * kernels a real run executes (tf.profile lists every kernel with its input and output shapes), and the GFLOP/s a
 * plain matrix multiply reaches on the same backend in the same process.
 *
 * Only convolutions and matrix multiplies are counted (2 FLOPs per multiply-add: output elements × filter taps ×
 * input channels); activations, pooling, resizing, normalisation and the like are left out, so the count is a
 * slight underestimate of the work and the GFLOP/s derived from it a slight underestimate of the rate.
 */
import type { Tf } from '../../src/engine/backend.js';
import { summarise } from './stats.js';

/** Multiply-adds, calls and profiled time of one kernel name. */
export interface KernelTally {
  readonly name: string;
  calls: number;
  macs: number;
  ms: number;
}

export interface FlopCount {
  /** 2 × multiply-adds of every convolution and matrix multiply run. */
  readonly flops: number;
  /** Profiled kernel time in the counted kernels, and in all kernels (profiling adds a read-back per kernel). */
  readonly countedMs: number;
  readonly allMs: number;
  readonly kernels: readonly KernelTally[];
}

type Shape = readonly number[] | null;

const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Multiply-adds of one kernel from its shapes (NHWC, as tfjs graph models and face-api use), or null for a kernel
 * that is not a convolution or matrix multiply. Input order is tfjs's: x (or a) first, filter (or b) second.
 */
export function kernelMacs(name: string, inputs: readonly Shape[], outputs: readonly Shape[]): number | null {
  const out = outputs[0];
  const [x, w] = inputs;
  if (!out || !x || !w) return null;
  switch (name) {
    case 'Conv2D':
    case 'FusedConv2D':
      // filter [fh, fw, inC, outC]: every output element sums fh × fw × inC products.
      return product(out) * (w[0] ?? 1) * (w[1] ?? 1) * (w[2] ?? 1);
    case 'DepthwiseConv2dNative':
    case 'FusedDepthwiseConv2D':
      // filter [fh, fw, inC, multiplier]: every output element sums fh × fw products of one channel.
      return product(out) * (w[0] ?? 1) * (w[1] ?? 1);
    case 'MatMul':
    case 'BatchMatMul':
    case '_FusedMatMul': {
      // out [..., m, n]; the shared dimension k is whichever side of `a` is not m (transposes are not recorded).
      const m = out[out.length - 2] ?? 1;
      const rows = x[x.length - 2] ?? 1;
      const cols = x[x.length - 1] ?? 1;
      return product(out) * (rows === m ? cols : rows);
    }
    default:
      return null;
  }
}

/** Runs `work` once under tf.profile and counts its convolution and matrix-multiply FLOPs. */
export async function countFlops(tf: Tf, work: () => Promise<unknown>): Promise<FlopCount> {
  const info = await tf.profile(async () => {
    await work();
  });
  const tallies = new Map<string, KernelTally>();
  let allMs = 0;
  for (const kernel of info.kernels) {
    const ms = typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0;
    allMs += ms;
    const macs = kernelMacs(kernel.name, kernel.inputShapes as Shape[], kernel.outputShapes as Shape[]);
    if (macs === null) continue;
    const tally = tallies.get(kernel.name) ?? { name: kernel.name, calls: 0, macs: 0, ms: 0 };
    tally.calls += 1;
    tally.macs += macs;
    tally.ms += ms;
    tallies.set(kernel.name, tally);
  }
  const kernels = [...tallies.values()].sort((a, b) => b.macs - a.macs);
  return {
    flops: 2 * kernels.reduce((sum, k) => sum + k.macs, 0),
    countedMs: kernels.reduce((sum, k) => sum + k.ms, 0),
    allMs,
    kernels,
  };
}

/** GFLOP/s of tf.matMul of two n × n float32 matrices on the running backend: median, min and max over `reps`. */
export async function matmulGflops(tf: Tf, n: number, reps: number): Promise<{ n: number; median: number; min: number; max: number; ms: number }> {
  const a = tf.randomUniform([n, n], -1, 1, 'float32');
  const b = tf.randomUniform([n, n], -1, 1, 'float32');
  const once = async (): Promise<number> => {
    const start = performance.now();
    const c = tf.matMul(a, b);
    await c.data();
    const elapsed = performance.now() - start;
    c.dispose();
    return elapsed;
  };
  try {
    for (let i = 0; i < 3; i += 1) await once();
    const times: number[] = [];
    for (let i = 0; i < reps; i += 1) times.push(await once());
    const flops = 2 * n ** 3;
    const s = summarise(times);
    return { n, median: flops / s.median / 1e6, min: flops / s.max / 1e6, max: flops / s.min / 1e6, ms: s.median };
  } finally {
    a.dispose();
    b.dispose();
  }
}
