/**
 * Reads tfjs "weights manifest + .bin" files into plain Float32Arrays, decoding quantized weights exactly as tfjs does
 * (tfjs-core io decodeWeights: value = q * scale + min in double precision, stored as float32), so a net rebuilt from
 * them holds the very weights the tfjs engine runs.
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface TfjsWeight {
  readonly shape: readonly number[];
  readonly values: Float32Array;
}

interface ManifestWeight {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { dtype: string; scale: number; min: number };
}

const BYTES: Readonly<Record<string, number>> = { float32: 4, uint8: 1, uint16: 2 };

/** `manifestPath`: a tfjs weights manifest (JSON array of { paths, weights }); its .bin files lie beside it. */
export async function readTfjsWeights(manifestPath: string): Promise<Map<string, TfjsWeight>> {
  const groups = JSON.parse(await readFile(manifestPath, 'utf8')) as { paths: string[]; weights: ManifestWeight[] }[];
  const weights = new Map<string, TfjsWeight>();
  for (const group of groups) {
    const buffers = await Promise.all(group.paths.map((p) => readFile(join(dirname(manifestPath), p))));
    const bytes = Buffer.concat(buffers);
    let offset = 0;
    for (const spec of group.weights) {
      const size = spec.shape.reduce((a, b) => a * b, 1);
      const stored = spec.quantization?.dtype ?? spec.dtype;
      const width = BYTES[stored];
      if (spec.dtype !== 'float32' || width === undefined) throw new Error(`weight ${spec.name}: unsupported dtype ${spec.dtype}/${stored}`);
      const end = offset + size * width;
      if (end > bytes.length) throw new Error(`weight ${spec.name} runs past the end of ${group.paths.join(', ')}`);
      const chunk = bytes.subarray(offset, end);
      weights.set(spec.name, { shape: spec.shape, values: decode(chunk, stored, size, spec.quantization) });
      offset = end;
    }
  }
  return weights;
}

function decode(chunk: Buffer, stored: string, size: number, quantization: ManifestWeight['quantization']): Float32Array {
  const copy = new Uint8Array(chunk);
  if (!quantization) return new Float32Array(copy.buffer, 0, size);
  const q = stored === 'uint8' ? copy : new Uint16Array(copy.buffer, 0, size);
  const values = new Float32Array(size);
  for (let i = 0; i < size; i++) values[i] = (q[i] as number) * quantization.scale + quantization.min;
  return values;
}
