/**
 * The two PAD nets on onnxruntime (ENGINE_BACKEND=native|auto): converted from their pinned tfjs files at start,
 * held to the pins in pad-model-files.ts, fed the crops tfjs would cut (src/engine/native/tfjs-sampling.ts).
 */
import { createHash } from 'node:crypto';
import { ModelIntegrityError } from '../../shared/errors.js';
import type { RgbImage } from '../face-engine.js';
import { createOrtSession, type Ort, type OrtSession } from '../native/onnx-runtime.js';
import { convertTfjsGraph } from '../native/tfjs-graph-onnx.js';
import { padCropInput, resizeCrop } from '../native/tfjs-sampling.js';
import { PAD_GENERATED_FILES } from './pad-model-files.js';

/** Raw outputs: antispoof's real probability and liveness's first softmax value, as the tfjs nets give them. */
export interface NativePadNets {
  /** `crop`: [y1, x1, y2, x2] normalised by the image's height and width, as tf.image.cropAndResize takes it. */
  run(image: RgbImage, crop: readonly [number, number, number, number]): Promise<[number | undefined, number | undefined]>;
  dispose(): Promise<void>;
}

/** `jsonOf(net)`: the verified graph model JSON of 'antispoof' or 'liveness'. */
export async function createNativePadNets(ort: Ort, jsonOf: (net: 'antispoof' | 'liveness') => string): Promise<NativePadNets> {
  const sessions: OrtSession[] = [];
  try {
    for (const pin of PAD_GENERATED_FILES) {
      const bytes = await convertTfjsGraph(jsonOf(pin.net), pin.net);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      if (bytes.length !== pin.bytes || sha256 !== pin.sha256) {
        throw new ModelIntegrityError(`Generated PAD graph ${pin.net}.onnx differs from its pin (${bytes.length} bytes, sha256 ${sha256})`);
      }
      sessions.push(await createOrtSession(ort, bytes));
    }
  } catch (error) {
    await Promise.all(sessions.map((s) => s.release()));
    throw error;
  }
  const [antispoof, liveness] = sessions as [OrtSession, OrtSession];
  const first = async (session: OrtSession, input: Float32Array, side: number): Promise<number | undefined> => {
    const tensor = new ort.Tensor('float32', input, [1, side, side, 3]);
    const outputs = await session.run({ [session.inputNames[0] as string]: tensor });
    try {
      return (outputs[session.outputNames[0] as string]?.data as Float32Array | undefined)?.[0];
    } finally {
      tensor.dispose();
      for (const output of Object.values(outputs)) output.dispose();
    }
  };
  return {
    async run(image, crop) {
      const face128 = padCropInput(image, crop, 128);
      return [await first(antispoof, face128, 128), await first(liveness, resizeCrop(face128, 128, 32), 32)];
    },
    dispose: async () => {
      await Promise.all(sessions.map((s) => s.release()));
    },
  };
}
