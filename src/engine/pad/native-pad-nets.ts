/**
 * The two PAD nets on onnxruntime (ENGINE_BACKEND=native|auto), as the graphs generated from their pinned tfjs files
 * (src/engine/native/generated-models.ts, verified against models/manifest.json `generated`), fed the crops tfjs
 * would cut (src/engine/native/tfjs-sampling.ts).
 */
import type { RgbImage } from '../face-engine.js';
import { createOrtSession, runImage, type Ort, type OrtSession } from '../native/onnx-runtime.js';
import { padCropInput, resizeCrop } from '../native/tfjs-sampling.js';

/** Raw outputs: antispoof's real probability and liveness's first softmax value, as the tfjs nets give them. */
export interface NativePadNets {
  /** `crop`: [y1, x1, y2, x2] normalised by the image's height and width, as tf.image.cropAndResize takes it. */
  run(image: RgbImage, crop: readonly [number, number, number, number]): Promise<[number | undefined, number | undefined]>;
  dispose(): Promise<void>;
}

/** `graphs`: the verified ONNX bytes of antispoof and liveness (generated-models.ts `loadGeneratedModel`). */
export async function createNativePadNets(
  ort: Ort, graphs: { readonly antispoof: Uint8Array; readonly liveness: Uint8Array },
): Promise<NativePadNets> {
  const sessions: OrtSession[] = [];
  try {
    for (const bytes of [graphs.antispoof, graphs.liveness]) sessions.push(await createOrtSession(ort, bytes));
  } catch (error) {
    await Promise.all(sessions.map((s) => s.release()));
    throw error;
  }
  const [antispoof, liveness] = sessions as [OrtSession, OrtSession];
  const first = async (session: OrtSession, input: Float32Array, side: number): Promise<number | undefined> =>
    (await runImage(ort, session, input, side))[0]?.data[0];
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
