/**
 * face-api's FaceRecognitionNet on onnxruntime (the graph of frnet-onnx.ts): the same crop in, the same descriptor
 * out as the tfjs net in ../human/embedding-net.ts, within float rounding (test/integration/engine-native.test.ts).
 */
import type { EmbedderSpec } from '../human/embedders.js';
import { FRNET_INPUT, FRNET_INPUT_SIZE, FRNET_OUTPUT } from './frnet-onnx.js';
import { createOrtSession, type Ort } from './onnx-runtime.js';

/** The part of EmbeddingNet (../human/embedding-net.ts) this net provides; the caller normalises and combines. */
export interface NativeDescriptorNet {
  /** `crops`: each inputSize x inputSize x 3 float RGB 0-255; one raw descriptor per crop, in one batch. */
  describe(crops: readonly Float32Array[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}

export async function createNativeFrnet(ort: Ort, model: Uint8Array, spec: EmbedderSpec): Promise<NativeDescriptorNet> {
  if (spec.runtime !== 'faceapi' || spec.inputSize !== FRNET_INPUT_SIZE) throw new RangeError(`no native graph for embedder ${spec.id}`);
  const session = await createOrtSession(ort, model);
  const pixels = FRNET_INPUT_SIZE * FRNET_INPUT_SIZE * 3;
  return {
    async describe(crops) {
      const batch = new Float32Array(crops.length * pixels);
      crops.forEach((crop, i) => {
        if (crop.length !== pixels) throw new RangeError(`crop of ${crop.length} values, the net takes ${pixels}`);
        batch.set(crop, i * pixels);
      });
      const input = new ort.Tensor('float32', batch, [crops.length, FRNET_INPUT_SIZE, FRNET_INPUT_SIZE, 3]);
      const outputs = await session.run({ [FRNET_INPUT]: input });
      const output = outputs[FRNET_OUTPUT];
      try {
        if (!output || output.dims.join() !== `${crops.length},${spec.embeddingSize}`) throw new Error('native embedding net gave an output of the wrong shape');
        const data = output.data as Float32Array;
        return crops.map((_, i) => data.slice(i * spec.embeddingSize, (i + 1) * spec.embeddingSize));
      } finally {
        input.dispose();
        for (const tensor of Object.values(outputs)) tensor.dispose();
      }
    },
    dispose: () => session.release(),
  };
}
