/**
 * Reads tfjs "weights manifest + .bin" files into plain Float32Arrays, decoding quantized weights exactly as tfjs does
 * (tfjs-core io decodeWeights: value = q * scale + min in double precision, stored as float32), so a net rebuilt from
 * them holds the very weights the tfjs engine runs.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface TfjsWeight {
  readonly shape: readonly number[];
  /** Float weights; int32 constants (shapes, paddings) as their integer values. */
  readonly values: Float32Array | Int32Array;
}

/** One group of a tfjs weights manifest. */
export interface WeightsGroup {
  paths: string[];
  weights: ManifestWeight[];
}

interface ManifestWeight {
  name: string;
  shape: number[];
  dtype: string;
  /** uint8/uint16: value = q * scale + min; float16: IEEE half precision. */
  quantization?: { dtype: string; scale: number; min: number };
}

const BYTES: Readonly<Record<string, number>> = { float32: 4, int32: 4, uint8: 1, uint16: 2, float16: 2 };

/** `manifestPath`: a tfjs weights manifest (JSON array of { paths, weights }); its .bin files lie beside it. */
export async function readTfjsWeights(manifestPath: string): Promise<Map<string, TfjsWeight>> {
  return decodeWeightGroups(JSON.parse(await readFile(manifestPath, 'utf8')) as WeightsGroup[], dirname(manifestPath));
}

/** The weights of `groups` (a weights manifest, or a graph model's `weightsManifest`), their .bin files in `dir`. */
export async function decodeWeightGroups(groups: readonly WeightsGroup[], dir: string): Promise<Map<string, TfjsWeight>> {
  const weights = new Map<string, TfjsWeight>();
  for (const group of groups) {
    const buffers = await Promise.all(group.paths.map((p) => readFile(join(dir, p))));
    const bytes = Buffer.concat(buffers);
    let offset = 0;
    for (const spec of group.weights) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const stored = spec.quantization?.dtype ?? spec.dtype;
      const width = BYTES[stored];
      if ((spec.dtype !== 'float32' && spec.dtype !== 'int32') || width === undefined) throw new Error(`weight ${spec.name}: unsupported dtype ${spec.dtype}/${stored}`);
      const end = offset + size * width;
      if (end > bytes.length) throw new Error(`weight ${spec.name} runs past the end of ${group.paths.join(', ')}`);
      const chunk = bytes.subarray(offset, end);
      const values = spec.dtype === 'int32' && !spec.quantization ? new Int32Array(new Uint8Array(chunk).buffer, 0, size) : decode(chunk, stored, size, spec.quantization);
      weights.set(spec.name, { shape: spec.shape, values });
      offset = end;
    }
  }
  return weights;
}

function decode(chunk: Buffer, stored: string, size: number, quantization: ManifestWeight['quantization']): Float32Array {
  const copy = new Uint8Array(chunk);
  if (!quantization) return new Float32Array(copy.buffer, 0, size);
  if (stored === 'float16') return Float32Array.from(new Uint16Array(copy.buffer, 0, size), halfToFloat);
  const q = stored === 'uint8' ? copy : new Uint16Array(copy.buffer, 0, size);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = (q[i] as number) * quantization.scale + quantization.min;
  return values;
}

/** IEEE 754 half precision to float, as tfjs-core's float16 decoder. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
