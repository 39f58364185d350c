/**
 * A tfjs graph model (model.json topology + weights) as an ONNX graph, for the op set of Human's BlazeFace, face
 * mesh and anti-spoofing nets: _FusedConv2D (BiasAdd, then Relu or Prelu), DepthwiseConv2dNative, Add/AddV2 and Mul
 * (of two values, or of a value and a per-channel constant), Relu, Prelu, Sigmoid, Softmax, MaxPool, Pad, Reshape,
 * _FusedMatMul (BiasAdd, then Relu), Identity. tfjs runs NHWC, ONNX convolutions NCHW: the input is transposed once,
 * every 4-D value is kept NCHW, and a Reshape (which reads memory in NHWC order) gets its input transposed back
 * first; its output and what follows it are 2-D [batch, features], where a per-channel constant broadcasts as it is.
 * An op outside this set fails the conversion, never a silent approximation.
 */
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { hwioToOihw } from './frnet-onnx.js';
import { encodeOnnxModel, type OnnxAttribute, type OnnxInitializer, type OnnxNode } from './onnx-writer.js';
import { decodeWeightGroups, type TfjsWeight, type WeightsGroup } from './tfjs-weights.js';

interface TfNode {
  name: string;
  op: string;
  input?: string[];
  attr?: Record<string, { s?: string; i?: string; list?: { i?: string[]; s?: string[] }; shape?: { dim?: { size?: string }[] } }>;
}

interface GraphModelJson {
  modelTopology: { node: TfNode[] };
  weightsManifest: WeightsGroup[];
}

const text = (value: string | undefined): string => Buffer.from(value ?? '', 'base64').toString('utf8');
const ints = (list: string[] | undefined): number[] => (list ?? []).map(Number);

/** Converts the graph model at `jsonPath`; its outputs are the graph's Identity nodes, by name. */
export async function convertTfjsGraph(jsonPath: string, name: string): Promise<Uint8Array> {
  const model = JSON.parse(await readFile(jsonPath, 'utf8')) as GraphModelJson;
  const weights = await decodeWeightGroups(model.weightsManifest, dirname(jsonPath));
  return buildGraph(model.modelTopology.node, weights, name);
}

function buildGraph(tfNodes: readonly TfNode[], weights: ReadonlyMap<string, TfjsWeight>, name: string): Uint8Array {
  const nodes: OnnxNode[] = [];
  const initializers: OnnxInitializer[] = [];
  const placeholder = tfNodes.find((n) => n.op === 'Placeholder');
  if (!placeholder) throw new Error(`${name}: no input`);
  const inputShape = (placeholder.attr?.shape?.shape?.dim ?? []).map((d, i) => (Number(d.size) > 0 ? Number(d.size) : i === 0 ? 'batch' : 'dim'));
  const outputs = tfNodes.filter((n) => n.op === 'Identity').map((n) => n.name);
  let counter = 0;
  const add = (op: string, inputs: string[], attributes: OnnxNode['attributes'] = {}, output = `v${counter++}`): string => {
    nodes.push({ op, inputs, outputs: [output], attributes });
    return output;
  };
  const constant = (source: string, dims: number[], data: Float32Array): string => {
    const id = `${source}:${dims.join('x')}`;
    if (!initializers.some((i) => i.name === id)) initializers.push({ name: id, dims, data });
    return id;
  };
  const floatWeight = (key: string): TfjsWeight & { values: Float32Array } => {
    const w = weights.get(key);
    if (!w || !(w.values instanceof Float32Array)) throw new Error(`${name}: float constant missing: ${key}`);
    return w as TfjsWeight & { values: Float32Array };
  };
  /** Values after a Reshape: 2-D [batch, features] rather than NCHW. */
  const flat = new Set<string>();
  /** A per-channel vector (any of [C], [1,1,C], [1,1,1,C]) as [C,1,1] to broadcast over NCHW, or as [C] over 2-D. */
  const channelVector = (key: string, over: string) => {
    const w = floatWeight(key);
    return constant(key, flat.has(over) ? [w.values.length] : [w.values.length, 1, 1], w.values);
  };
  const intWeight = (key: string): number[] => {
    const w = weights.get(key);
    if (!w) throw new Error(`${name}: constant missing: ${key}`);
    return Array.from(w.values);
  };
  const spatial = (node: TfNode): Record<string, OnnxAttribute> => {
    const padding = text(node.attr?.padding?.s);
    if (padding !== 'SAME' && padding !== 'VALID') throw new Error(`${name}: ${node.name}: padding ${padding}`);
    const strides = ints(node.attr?.strides?.list?.i).slice(1, 3);
    return padding === 'SAME' ? { auto_pad: 'SAME_UPPER', strides } : { strides, pads: [0, 0, 0, 0] };
  };

  // tfjs input NHWC -> NCHW once.
  const ids = new Map<string, string>([[placeholder.name, add('Transpose', [placeholder.name], { perm: [0, 3, 1, 2] })]]);
  const value = (input: string): string => {
    const id = ids.get(input.split(':')[0] as string);
    if (!id) throw new Error(`${name}: input ${input} is not computed yet`);
    return id;
  };
  for (const node of tfNodes) {
    const inputs = node.input ?? [];
    const out = (id: string, from = inputs[0]) => {
      if (from && !weights.has(from) && flat.has(value(from))) flat.add(id);
      ids.set(node.name, id);
    };
    /** A binary op's inputs: computed values as they are, constants as per-channel vectors beside them. */
    const operands = () => {
      const computed = inputs.find((i) => !weights.has(i));
      if (!computed) throw new Error(`${name}: ${node.name} has no computed input`);
      return { from: computed, ids: inputs.map((i) => (weights.has(i) ? channelVector(i, value(computed)) : value(i))) };
    };
    switch (node.op) {
      case 'Const':
      case 'Placeholder':
        break;
      case '_FusedConv2D': {
        const filter = floatWeight(inputs[1] as string);
        const [h, w] = filter.shape as [number, number];
        const oihw = hwioToOihw(filter.shape, filter.values);
        const fused = (node.attr?.fused_ops?.list?.s ?? []).map(text);
        if (fused[0] !== 'BiasAdd') throw new Error(`${name}: ${node.name}: fused ops ${fused.join(',')}`);
        let y = add('Conv', [value(inputs[0] as string), constant(inputs[1] as string, oihw.dims, oihw.data), constant(inputs[2] as string, [floatWeight(inputs[2] as string).values.length], floatWeight(inputs[2] as string).values)], { kernel_shape: [h, w], ...spatial(node) });
        if (fused[1] === 'Relu') y = add('Relu', [y]);
        else if (fused[1] === 'Prelu') y = add('PRelu', [y, channelVector(inputs[3] as string, y)]);
        else if (fused.length > 1) throw new Error(`${name}: ${node.name}: fused ops ${fused.join(',')}`);
        out(y);
        break;
      }
      case 'DepthwiseConv2dNative': {
        const filter = floatWeight(inputs[1] as string);
        const [h, w, c, m] = filter.shape as [number, number, number, number];
        // [h, w, c, m] -> [c*m, 1, h, w]: output channel c*m + k, as TF orders a depthwise multiplier.
        const data = new Float32Array(filter.values.length);
        for (let hh = 0; hh < h; hh++) for (let ww = 0; ww < w; ww++) for (let cc = 0; cc < c; cc++) for (let k = 0; k < m; k++) {
          data[((cc * m + k) * h + hh) * w + ww] = filter.values[((hh * w + ww) * c + cc) * m + k] as number;
        }
        out(add('Conv', [value(inputs[0] as string), constant(inputs[1] as string, [c * m, 1, h, w], data)], { kernel_shape: [h, w], group: c, ...spatial(node) }));
        break;
      }
      case 'Add':
      case 'AddV2':
      case 'Mul': {
        const { from, ids: args } = operands();
        out(add(node.op === 'Mul' ? 'Mul' : 'Add', args), from);
        break;
      }
      case 'Relu':
      case 'Sigmoid':
        out(add(node.op, [value(inputs[0] as string)]));
        break;
      case 'Softmax':
        if (!flat.has(value(inputs[0] as string))) throw new Error(`${name}: ${node.name}: Softmax over an NCHW value`);
        out(add('Softmax', [value(inputs[0] as string)], { axis: 1 }));
        break;
      case 'Prelu':
        out(add('PRelu', [value(inputs[0] as string), channelVector(inputs[1] as string, value(inputs[0] as string))]));
        break;
      case '_FusedMatMul': {
        const fused = (node.attr?.fused_ops?.list?.s ?? []).map(text);
        const transposed = (key: 'transpose_a' | 'transpose_b') => (node.attr?.[key] as { b?: boolean } | undefined)?.b === true;
        if (fused[0] !== 'BiasAdd' || fused.length > 2 || (fused[1] && fused[1] !== 'Relu') || transposed('transpose_a') || transposed('transpose_b')) {
          throw new Error(`${name}: ${node.name}: fused ops ${fused.join(',')}`);
        }
        const matrix = floatWeight(inputs[1] as string);
        const bias = floatWeight(inputs[2] as string);
        let y = add('Gemm', [value(inputs[0] as string), constant(inputs[1] as string, [...matrix.shape], matrix.values), constant(inputs[2] as string, [bias.values.length], bias.values)]);
        if (fused[1] === 'Relu') y = add('Relu', [y]);
        flat.add(y);
        out(y);
        break;
      }
      case 'MaxPool':
        out(add('MaxPool', [value(inputs[0] as string)], { kernel_shape: ints(node.attr?.ksize?.list?.i).slice(1, 3), ...spatial(node) }));
        break;
      case 'Pad': {
        // tfjs paddings [[n0,n1],[h0,h1],[w0,w1],[c0,c1]] (NHWC) -> ONNX NCHW begins then ends.
        const [n0, n1, h0, h1, w0, w1, c0, c1] = intWeight(inputs[1] as string) as [number, number, number, number, number, number, number, number];
        const pads = `${node.name}/pads`;
        initializers.push({ name: pads, dims: [8], data: BigInt64Array.from([n0, c0, h0, w0, n1, c1, h1, w1], BigInt) });
        out(add('Pad', [value(inputs[0] as string), pads]));
        break;
      }
      case 'Reshape': {
        const shape = `${node.name}/shape`;
        initializers.push({ name: shape, dims: [intWeight(inputs[1] as string).length], data: BigInt64Array.from(intWeight(inputs[1] as string), BigInt) });
        const reshaped = add('Reshape', [add('Transpose', [value(inputs[0] as string)], { perm: [0, 2, 3, 1] }), shape]);
        if (intWeight(inputs[1] as string).length === 2) flat.add(reshaped);
        out(reshaped);
        break;
      }
      case 'Identity':
        out(add('Identity', [value(inputs[0] as string)], {}, node.name));
        break;
      default:
        throw new Error(`${name}: tfjs op ${node.op} (${node.name}) has no ONNX mapping here`);
    }
  }
  return encodeOnnxModel({
    name, nodes, initializers, opset: 17, producer: 'zinda src/engine/native/tfjs-graph-onnx.ts', docString: name,
    inputs: [{ name: placeholder.name, shape: inputShape }],
    // Output ranks vary (Reshape targets); ONNX only needs the names, so shapes are left symbolic.
    outputs: outputs.map((o) => ({ name: o, shape: null })),
  });
}
