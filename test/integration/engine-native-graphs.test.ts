/**
 * Human's BlazeFace, face mesh and anti-spoofing nets converted op for op to ONNX (src/engine/native/tfjs-graph-onnx.ts)
 * give the outputs of the tfjs graph models on real faces, and the engine's native pipeline feeds them the very inputs Human's tfjs
 * ops make (src/engine/native/tfjs-sampling.ts). test/integration/engine-native.test.ts compares whole engines.
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { fileModelHandler } from '../../src/engine/human/model-files.js';
import { resolvePackageFile } from '../../src/engine/model-manifest.js';
import { createOrtSession, loadOnnxRuntime, type Ort } from '../../src/engine/native/onnx-runtime.js';
import { convertTfjsGraph } from '../../src/engine/native/tfjs-graph-onnx.js';
import { cropInput, detectorInput, paddedSquare } from '../../src/engine/native/tfjs-sampling.js';
import { decodeRgb } from '../../src/images/image-codec.js';

const FACES = ['samples/faces/sample1-face1.jpg', 'samples/faces/sample4-face1.jpg'];
/**
 * Input side and pixel scaling as each net is fed: BlazeFace [-1, 1], the mesh and the two PAD nets
 * (src/engine/pad, converted but still run on tfjs) [0, 1].
 */
const NETS = [
  { stem: 'blazeface', side: 256, scale: (v: number) => v / 127.5 - 1 },
  { stem: 'facemesh', side: 192, scale: (v: number) => v / 255 },
  { stem: 'antispoof', side: 128, scale: (v: number) => v / 255 },
  { stem: 'liveness', side: 32, scale: (v: number) => v / 255 },
] as const;

let tf: Tf;
let ort: Ort;
beforeAll(async () => {
  ({ tf } = await initBackend({ backend: 'wasm' }));
  const loaded = loadOnnxRuntime();
  if (!loaded.ort) throw new Error('onnxruntime-node does not load on this host', { cause: loaded.error });
  ort = loaded.ort;
});

describe.each(NETS)('$stem as ONNX', ({ stem, side, scale }) => {
  const path = resolvePackageFile('@vladmandic/human', `models/${stem}.json`);
  let session: Awaited<ReturnType<typeof createOrtSession>>;
  let model: Awaited<ReturnType<Tf['loadGraphModel']>>;
  beforeAll(async () => {
    session = await createOrtSession(ort, await convertTfjsGraph(path, stem));
    model = await tf.loadGraphModel(fileModelHandler(path));
  });
  afterAll(async () => {
    await session?.release();
    model?.dispose();
  });

  it.each(FACES)('gives the tfjs outputs on %s', async (file) => {
    const { data } = await sharp(file).resize(side, side, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const input = Float32Array.from(data, scale);
    const feeds = { [session.inputNames[0] as string]: new ort.Tensor('float32', input, [1, side, side, 3]) };
    const native = await session.run(feeds);
    const x = tf.tensor4d(input, [1, side, side, 3]);
    // One output comes back as a tensor, several as an array.
    const result = model.execute(x, [...session.outputNames]) as ReturnType<Tf['tensor']> | ReturnType<Tf['tensor']>[];
    const expected = Array.isArray(result) ? result : [result];
    try {
      for (const [i, name] of session.outputNames.entries()) {
        const reference = (await expected[i]!.data()) as Float32Array;
        const actual = native[name]!.data as Float32Array;
        expect(native[name]!.dims).toEqual(expected[i]!.shape);
        const range = Math.max(1, ...reference.map(Math.abs));
        const worst = Math.max(...actual.map((v, k) => Math.abs(v - (reference[k] as number))));
        // Float32 sums in another order: a few ulps of the output's range (logits reach ~500).
        expect(worst / range).toBeLessThan(1e-5);
      }
    } finally {
      x.dispose();
      tf.dispose(expected);
    }
  });
});

/** How many values of two equally long arrays differ at all (a deep toEqual over 200,000 floats takes seconds). */
function differing(actual: Float32Array, expected: Float32Array): number {
  expect(actual.length).toBe(expected.length);
  return actual.reduce((n, v, i) => n + (v === expected[i] ? 0 : 1), 0);
}

describe('native pipeline inputs', () => {
  /** Square, landscape (padded below) and boxes inside, across the top-left corner and past the far edges. */
  const IMAGES = ['samples/faces/sample1-face1.jpg', 'samples/faces/group-sample1.jpg'];

  it.each(IMAGES)('are bit for bit the tfjs WASM inputs of the detector and the mesh on %s', async (file) => {
    const image = await decodeRgb(await readFile(file));
    const side = Math.max(image.width, image.height);
    const boxes: [[number, number], [number, number]][] = [
      [[100, 57], [391, 348]], [[-20, -31], [300, 289]], [[image.width - 150, image.height - 100], [image.width + 50, image.height + 100]],
    ];
    const padded = tf.pad(tf.tensor4d(image.data, [1, image.height, image.width, 3], 'float32'), [[0, 0], [0, side - image.height], [0, side - image.width], [0, 0]]);
    const detector = tf.tidy(() => tf.sub(tf.div(tf.image.resizeBilinear(padded as ReturnType<Tf['tensor4d']>, [256, 256]), 127.5), 1));
    const crops = boxes.map(([s, e]) => tf.tidy(() => tf.div(tf.image.cropAndResize(padded as ReturnType<Tf['tensor4d']>, [[s[1] / side, s[0] / side, e[1] / side, e[0] / side]], [0], [192, 192]), 255)));
    try {
      expect(differing(detectorInput(paddedSquare(image), 256), (await detector.data()) as Float32Array)).toBe(0);
      for (const [i, [s, e]] of boxes.entries()) {
        expect(differing(cropInput(paddedSquare(image), s, e, 192), (await crops[i]!.data()) as Float32Array)).toBe(0);
      }
    } finally {
      tf.dispose([padded, detector, ...crops]);
    }
  });
});
