/**
 * face-api's FaceRecognitionNet (dlib's ResNet-34-like face descriptor, 128-d) as an ONNX graph, built from the very
 * weights face-api loads. The layers follow @vladmandic/face-api src/faceRecognitionNet (FaceRecognitionNet.ts,
 * convLayer.ts, residualLayer.ts, scaleLayer.ts) op for op: conv + bias, then the scale layer's multiply and add,
 * kept as separate nodes (onnxruntime fuses them into the convolution when it loads the graph).
 *
 * Input `input`: [batch, 150, 150, 3] float RGB 0-255 (what face-api's toBatchTensor gives for a 150x150 crop);
 * output `descriptor`: [batch, 128], not normalised, as face-api's computeFaceDescriptor returns it.
 */
import { encodeOnnxModel, type OnnxInitializer, type OnnxNode } from './onnx-writer.js';
import type { TfjsWeight } from './tfjs-weights.js';

export const FRNET_INPUT_SIZE = 150;
export const FRNET_INPUT = 'input';
export const FRNET_OUTPUT = 'descriptor';

/** face-api's normalize(): per-channel mean subtracted, then divided by 255. */
const MEAN_RGB = [122.782, 117.001, 104.298];

/** Builds the ONNX model bytes from face-api's decoded `face_recognition_model` weights. */
export function buildFrnetOnnx(weights: ReadonlyMap<string, TfjsWeight>, docString: string): Uint8Array {
  const b = new GraphBuilder(weights);
  let x = b.node('Sub', [FRNET_INPUT, b.constant('mean_rgb', [3], MEAN_RGB)]);
  x = b.node('Div', [x, b.constant('pixel_range', [], [255])]);
  x = b.node('Transpose', [x], { perm: [0, 3, 1, 2] });
  let size = FRNET_INPUT_SIZE;

  let y = b.conv(x, 'conv32_down', { stride: 2, relu: true });
  size = (size - 7) / 2 + 1;
  x = b.node('MaxPool', [y], { kernel_shape: [3, 3], strides: [2, 2] });
  size = Math.floor((size - 3) / 2) + 1;
  let channels = 32;
  const stages: [string, number, number][] = [
    ['conv32', 32, 3], ['conv64', 64, 3], ['conv128', 128, 2], ['conv256', 256, 2],
  ];
  for (const [stage, width, blocks] of stages) {
    if (width !== channels) ({ x, size } = b.residualDown(x, `${stage}_down`, size, channels, width));
    channels = width;
    for (let i = 1; i <= blocks; i++) x = b.residual(x, `${stage}_${i}`);
  }
  ({ x } = b.residualDown(x, 'conv256_down_out', size, channels, 256));
  y = b.node('ReduceMean', [x], { axes: [2, 3], keepdims: 0 });
  b.node('MatMul', [y, b.weight('fc')], {}, FRNET_OUTPUT);
  if (b.unused().length > 0) throw new Error(`FaceRecognitionNet weights left unused: ${b.unused().join(', ')}`);

  return encodeOnnxModel({
    name: 'faceapi_face_recognition_net',
    nodes: b.nodes,
    initializers: b.initializers,
    inputs: [{ name: FRNET_INPUT, shape: ['batch', FRNET_INPUT_SIZE, FRNET_INPUT_SIZE, 3] }],
    outputs: [{ name: FRNET_OUTPUT, shape: ['batch', 128] }],
    opset: 17,
    producer: 'zinda src/engine/native/frnet-onnx.ts',
    docString,
  });
}

class GraphBuilder {
  readonly nodes: OnnxNode[] = [];
  readonly initializers: OnnxInitializer[] = [];
  private readonly used = new Set<string>();

  constructor(private readonly weights: ReadonlyMap<string, TfjsWeight>) {}

  node(op: string, inputs: string[], attributes: OnnxNode['attributes'] = {}, output = `t${this.nodes.length}`): string {
    this.nodes.push({ op, inputs, outputs: [output], attributes });
    return output;
  }

  constant(name: string, dims: number[], values: number[]): string {
    this.initializers.push({ name, dims, data: Float32Array.from(values) });
    return name;
  }

  /** A weight as stored; HWIO conv filters are transposed to ONNX's OIHW, per-channel vectors shaped [C, 1, 1]. */
  weight(name: string, layout: 'as-is' | 'oihw' | 'channel' = 'as-is'): string {
    const w = this.weights.get(name);
    if (!w || !(w.values instanceof Float32Array)) throw new Error(`FaceRecognitionNet float weight missing: ${name}`);
    this.used.add(name);
    const values = w.values;
    if (layout === 'as-is') this.initializers.push({ name, dims: w.shape, data: values });
    else if (layout === 'channel') this.initializers.push({ name, dims: [values.length, 1, 1], data: values });
    else this.initializers.push({ name, ...hwioToOihw(w.shape, values) });
    return name;
  }

  unused(): string[] {
    return [...this.weights.keys()].filter((name) => !this.used.has(name));
  }

  /** face-api's convLayer: 'same' padding at stride 1, 'valid' at stride 2. */
  conv(x: string, prefix: string, { stride, relu }: { stride: 1 | 2; relu: boolean }): string {
    const filters = this.weights.get(`${prefix}/conv/filters`);
    const k = filters?.shape[0] ?? 0;
    const pad = stride === 1 ? (k - 1) / 2 : 0;
    let y = this.node('Conv', [x, this.weight(`${prefix}/conv/filters`, 'oihw'), this.weight(`${prefix}/conv/bias`)], {
      kernel_shape: [k, k], strides: [stride, stride], pads: [pad, pad, pad, pad],
    });
    y = this.node('Mul', [y, this.weight(`${prefix}/scale/weights`, 'channel')]);
    y = this.node('Add', [y, this.weight(`${prefix}/scale/biases`, 'channel')]);
    return relu ? this.node('Relu', [y]) : y;
  }

  residual(x: string, prefix: string): string {
    let y = this.conv(x, `${prefix}/conv1`, { stride: 1, relu: true });
    y = this.conv(y, `${prefix}/conv2`, { stride: 1, relu: false });
    return this.node('Relu', [this.node('Add', [y, x])]);
  }

  /**
   * Strided block: the 3x3 'valid' convolution and the 2x2 average pool of the shortcut can disagree by one row and
   * column (odd sizes); face-api then appends a zero row and column to the convolution's output, and zero channels to
   * the shortcut when the block widens.
   */
  residualDown(x: string, prefix: string, size: number, inChannels: number, outChannels: number): { x: string; size: number } {
    let y = this.conv(x, `${prefix}/conv1`, { stride: 2, relu: true });
    y = this.conv(y, `${prefix}/conv2`, { stride: 1, relu: false });
    const convSize = Math.floor((size - 3) / 2) + 1;
    const poolSize = Math.floor((size - 2) / 2) + 1;
    let pooled = this.node('AveragePool', [x], { kernel_shape: [2, 2], strides: [2, 2] });
    if (convSize !== poolSize) {
      if (poolSize !== convSize + 1) throw new Error(`${prefix}: cannot align ${convSize} to ${poolSize}`);
      y = this.node('Pad', [y, this.pads(`${prefix}/pad_hw`, [0, 0, 0, 0, 0, 0, 1, 1])]);
    }
    if (outChannels !== inChannels) {
      pooled = this.node('Pad', [pooled, this.pads(`${prefix}/pad_c`, [0, 0, 0, 0, 0, outChannels - inChannels, 0, 0])]);
    }
    return { x: this.node('Relu', [this.node('Add', [pooled, y])]), size: poolSize };
  }

  private pads(name: string, values: number[]): string {
    this.initializers.push({ name, dims: [values.length], data: BigInt64Array.from(values, BigInt) });
    return name;
  }
}

/** A conv filter from tfjs's [h, w, in, out] to ONNX's [out, in, h, w]. */
export function hwioToOihw(shape: readonly number[], values: Float32Array): { dims: number[]; data: Float32Array } {
  const [h, w, i, o] = shape as [number, number, number, number];
  const out = new Float32Array(values.length);
  for (let hh = 0; hh < h; hh++) {
    for (let ww = 0; ww < w; ww++) {
      for (let ii = 0; ii < i; ii++) {
        for (let oo = 0; oo < o; oo++) out[((oo * i + ii) * h + hh) * w + ww] = values[((hh * w + ww) * i + ii) * o + oo] as number;
      }
    }
  }
  return { dims: [o, i, h, w], data: out };
}
