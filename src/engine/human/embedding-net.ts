/**
 * An embedding net behind the Human engine's aligned crop: a tfjs graph model read from verified files, or
 * face-api's FaceRecognitionNet loaded by face-api (its weights are not a graph model). Both take the crop as float
 * RGB 0-255 and return one unit-length embedding.
 */
import { dirname } from 'node:path';
import type { GraphModel, Tensor, Tensor3D } from '@tensorflow/tfjs';
import type { TfRuntime } from '../backend.js';
import type { NativeModel } from '../native/native-backend.js';
import { createNativeFrnet } from '../native/native-embedding-net.js';
import type { EmbedderSpec } from './embedders.js';
import { fileModelHandler } from './model-files.js';

export interface EmbeddingNet {
  /** `crop`: inputSize x inputSize x 3 float RGB in [0, 255], row-major. */
  embed(crop: Float32Array): Promise<Float32Array>;
  dispose(): Promise<void>;
}

/**
 * Loads the net of `spec` from its verified files (`jsonPath`: the graph model's JSON or face-api's weights manifest),
 * or from `native`, its generated graph on onnxruntime (native-backend.ts), when given.
 */
export async function loadEmbeddingNet(runtime: TfRuntime, spec: EmbedderSpec, jsonPath: string, native?: NativeModel | null): Promise<EmbeddingNet> {
  if (native) return nativeNet(native, spec);
  return spec.runtime === 'faceapi' ? faceApiNet(runtime, spec, jsonPath) : graphNet(runtime, spec, jsonPath);
}

/** face-api's net on onnxruntime: the crop and its mirror as one batch, combined as faceApiNet combines them. */
async function nativeNet({ ort, model }: NativeModel, spec: EmbedderSpec): Promise<EmbeddingNet> {
  const net = await createNativeFrnet(ort, model, spec);
  return {
    async embed(crop) {
      if (!spec.flip) return unit((await net.describe([crop]))[0] as Float32Array);
      const [a, b] = await net.describe([crop, mirrorCrop(crop, spec.inputSize)]);
      return mirrorAverage(a as Float32Array, b as Float32Array);
    },
    dispose: () => net.dispose(),
  };
}

async function graphNet({ tf }: TfRuntime, spec: EmbedderSpec, jsonPath: string): Promise<EmbeddingNet> {
  const net: GraphModel = await tf.loadGraphModel(fileModelHandler(jsonPath));
  const embedOne = (input: Tensor): Tensor => {
    const result = net.execute(input) as Tensor | Tensor[];
    const outputs = Array.isArray(result) ? result : [result];
    const embedding = outputs.find((t) => t.shape[t.shape.length - 1] === spec.embeddingSize);
    if (!embedding) throw new Error(`embedding net gave no output of size ${spec.embeddingSize}`);
    const flat = embedding.reshape([spec.embeddingSize]);
    return flat.div(flat.norm());
  };
  return {
    async embed(crop) {
      const output = tf.tidy(() => {
        const rgb = tf.tensor4d(crop, [1, spec.inputSize, spec.inputSize, 3]);
        const ordered = spec.channels === 'bgr' ? tf.reverse(rgb, -1) : rgb;
        const input = ordered.mul(spec.scale).add(spec.offset);
        // Mirror averaging: the unit embeddings of the crop and of its mirror image, summed.
        return spec.flip ? embedOne(input).add(embedOne(tf.reverse(input, 2))) : embedOne(input);
      });
      try {
        return unit((await output.data()) as Float32Array);
      } finally {
        output.dispose();
      }
    },
    dispose: async () => net.dispose(),
  };
}

/** face-api keeps its nets module-global: a net another engine of this process loaded is used, and left loaded. */
async function faceApiNet({ tf, faceapi }: TfRuntime, spec: EmbedderSpec, weightsManifestPath: string): Promise<EmbeddingNet> {
  const net = faceapi.nets.faceRecognitionNet;
  const owned = !net.isLoaded;
  if (owned) await net.loadFromDisk(dirname(weightsManifestPath));
  return {
    async embed(crop) {
      const image = tf.tensor3d(crop, [spec.inputSize, spec.inputSize, 3]);
      const mirrored = spec.flip ? (tf.reverse(image, 1) as Tensor3D) : null;
      try {
        if (!mirrored) return unit((await net.computeFaceDescriptor(image)) as Float32Array);
        // The crop and its mirror as one batch of two: one pass through the net instead of two.
        const [a, b] = (await net.computeFaceDescriptor([image, mirrored])) as Float32Array[];
        if (!a || !b) throw new Error('embedding net returned fewer than two descriptors for the crop and its mirror');
        return mirrorAverage(a, b);
      } finally {
        image.dispose();
        mirrored?.dispose();
      }
    },
    dispose: async () => {
      if (owned && net.isLoaded) net.dispose();
    },
  };
}

/** The sum of the unit descriptors of a crop and its mirror image, itself made unit length. */
function mirrorAverage(a: Float32Array, b: Float32Array): Float32Array {
  const ua = unit(a);
  const ub = unit(b);
  return unit(ua.map((v, i) => v + (ub[i] as number)));
}

/** `crop` (side x side x 3, row-major) mirrored left to right, as tf.reverse(crop, 1) gives it. */
function mirrorCrop(crop: Float32Array, side: number): Float32Array {
  const out = new Float32Array(crop.length);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const from = (y * side + x) * 3;
      const to = (y * side + side - 1 - x) * 3;
      out[to] = crop[from] as number;
      out[to + 1] = crop[from + 1] as number;
      out[to + 2] = crop[from + 2] as number;
    }
  }
  return out;
}

function unit(v: Float32Array): Float32Array {
  let sum = 0;
  for (const x of v) sum += x * x;
  const norm = Math.sqrt(sum);
  if (!(norm > 0)) throw new Error('embedding is all zeros');
  return v.map((x) => x / norm);
}
