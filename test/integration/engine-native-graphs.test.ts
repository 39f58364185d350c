/**
 * Human's BlazeFace and face mesh converted op for op to ONNX (src/engine/native/tfjs-graph-onnx.ts) give the outputs
 * of the tfjs graph models on real faces. The engine does not run them natively yet (Human drives its own models);
 * this keeps the converted, pinned graphs honest until it does.
 */
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend, type Tf } from '../../src/engine/backend.js';
import { fileModelHandler } from '../../src/engine/human/model-files.js';
import { resolvePackageFile } from '../../src/engine/model-manifest.js';
import { createOrtSession, loadOnnxRuntime, type Ort } from '../../src/engine/native/onnx-runtime.js';
import { convertTfjsGraph } from '../../src/engine/native/tfjs-graph-onnx.js';

const FACES = ['samples/faces/sample1-face1.jpg', 'samples/faces/sample4-face1.jpg'];
/** Input side and pixel scaling as Human feeds each net: BlazeFace [-1, 1], the mesh [0, 1]. */
const NETS = [
  { stem: 'blazeface', side: 256, scale: (v: number) => v / 127.5 - 1 },
  { stem: 'facemesh', side: 192, scale: (v: number) => v / 255 },
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
    const expected = model.execute(x, [...session.outputNames]) as ReturnType<Tf['tensor']>[];
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
