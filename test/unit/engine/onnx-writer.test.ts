/**
 * The hand-written ONNX encoder (src/engine/native/onnx-writer.ts) and the tfjs weight reader behind the generated
 * native graphs: a small graph using the ops and attribute kinds FaceRecognitionNet needs runs on onnxruntime with
 * the results worked out by hand, equal graphs give equal bytes (the pin depends on it), and quantized weights
 * decode as tfjs decodes them.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrtSession, loadOnnxRuntime } from '../../../src/engine/native/onnx-runtime.js';
import { encodeOnnxModel, type OnnxGraph } from '../../../src/engine/native/onnx-writer.js';
import { readTfjsWeights } from '../../../src/engine/native/tfjs-weights.js';

/** x [1,1,2,2] → Pad one zero column right → 1x1 Conv (weight 2, bias 1) → Mul 3 → ReduceMean over H, W. */
const graph: OnnxGraph = {
  name: 'tiny', opset: 17, producer: 'test', docString: '',
  nodes: [
    { op: 'Pad', inputs: ['x', 'pads'], outputs: ['padded'] },
    { op: 'Conv', inputs: ['padded', 'w', 'b'], outputs: ['conv'], attributes: { kernel_shape: [1, 1], strides: [1, 1], pads: [0, 0, 0, 0] } },
    { op: 'Mul', inputs: ['conv', 'three'], outputs: ['scaled'] },
    { op: 'ReduceMean', inputs: ['scaled'], outputs: ['y'], attributes: { axes: [2, 3], keepdims: 0 } },
  ],
  initializers: [
    { name: 'pads', dims: [8], data: BigInt64Array.from([0, 0, 0, 0, 0, 0, 0, 1], BigInt) },
    { name: 'w', dims: [1, 1, 1, 1], data: Float32Array.from([2]) },
    { name: 'b', dims: [1], data: Float32Array.from([1]) },
    { name: 'three', dims: [], data: Float32Array.from([3]) },
  ],
  inputs: [{ name: 'x', shape: ['batch', 1, 2, 2] }],
  outputs: [{ name: 'y', shape: ['batch', 1] }],
};

describe('ONNX encoder', () => {
  it('writes a graph onnxruntime runs with the expected result', async () => {
    const { ort } = loadOnnxRuntime();
    if (!ort) throw new Error('onnxruntime-node does not load on this host');
    const session = await createOrtSession(ort, encodeOnnxModel(graph));
    try {
      const x = new ort.Tensor('float32', Float32Array.from([1, 2, 3, 4]), [1, 1, 2, 2]);
      const { y } = await session.run({ x });
      // padded [[1,2,0],[3,4,0]] → conv 2v+1: [[3,5,1],[7,9,1]] → ×3, mean of 6 values: 3 × 26 / 6 = 13
      expect(y?.dims).toEqual([1, 1]);
      expect(Array.from(y?.data as Float32Array)).toEqual([13]);
    } finally {
      await session.release();
    }
  });

  it('gives equal bytes for equal graphs', () => {
    expect(Buffer.from(encodeOnnxModel(graph)).equals(Buffer.from(encodeOnnxModel(graph)))).toBe(true);
  });

  it('refuses an initializer whose data does not fill its dims', () => {
    const bad = { ...graph, initializers: [{ name: 'w', dims: [2, 2], data: Float32Array.from([1]) }] };
    expect(() => encodeOnnxModel(bad)).toThrow(/dims 2x2 hold 4 values/);
  });
});

describe('tfjs weights reader', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zinda-weights-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('decodes float32 and uint8-quantized weights as tfjs does (q × scale + min)', async () => {
    const float = Buffer.from(Float32Array.from([0.5, -1.25]).buffer);
    await writeFile(join(dir, 'w.bin'), Buffer.concat([float, Buffer.from([0, 1, 255])]));
    await writeFile(join(dir, 'manifest.json'), JSON.stringify([{
      paths: ['w.bin'],
      weights: [
        { name: 'a', shape: [2], dtype: 'float32' },
        { name: 'q', shape: [3, 1], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.1, min: -1 } },
      ],
    }]));
    const weights = await readTfjsWeights(join(dir, 'manifest.json'));
    expect(Array.from(weights.get('a')?.values ?? [])).toEqual([0.5, -1.25]);
    expect(weights.get('q')?.shape).toEqual([3, 1]);
    expect(Array.from(weights.get('q')?.values ?? [])).toEqual(Array.from(Float32Array.from([-1, 0.1 - 1, 255 * 0.1 - 1])));
  });

  it('decodes float16-stored weights and int32 constants', async () => {
    const half = Buffer.from(Uint16Array.from([0x3c00, 0xc000, 0x0001]).buffer);
    const int = Buffer.from(Int32Array.from([1, -1]).buffer);
    await writeFile(join(dir, 'h.bin'), Buffer.concat([half, int]));
    await writeFile(join(dir, 'h.json'), JSON.stringify([{
      paths: ['h.bin'],
      weights: [
        { name: 'h', shape: [3], dtype: 'float32', quantization: { dtype: 'float16', original_dtype: 'float32' } },
        { name: 'shape', shape: [2], dtype: 'int32' },
      ],
    }]));
    const weights = await readTfjsWeights(join(dir, 'h.json'));
    expect(Array.from(weights.get('h')?.values ?? [])).toEqual([1, -2, Math.fround(2 ** -24)]);
    expect(weights.get('shape')?.values).toEqual(Int32Array.from([1, -1]));
  });

  it('refuses weights that run past the end of the files', async () => {
    await writeFile(join(dir, 'short.bin'), Buffer.alloc(4));
    await writeFile(join(dir, 'short.json'), JSON.stringify([{ paths: ['short.bin'], weights: [{ name: 'a', shape: [2], dtype: 'float32' }] }]));
    await expect(readTfjsWeights(join(dir, 'short.json'))).rejects.toThrow(/runs past the end/);
  });
});
