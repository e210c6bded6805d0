/**
 * Static int8 quantisation in the QDQ format: QuantizeLinear/DequantizeLinear pairs around the
 * activations of Conv, Gemm, MatMul and Add, per-channel symmetric int8 weights and int32 biases
 * behind DequantizeLinear. Everything else stays float. onnxruntime fuses DQ -> op -> Q into its
 * QLinear kernels and removes a Relu/Clip before a Q whose range starts at the activation's
 * floor, so the range of an op followed only by Relu/Clip is taken after that activation.
 */
import { attr, Graph } from './graph.js';
import { dims, FLOAT, INT32, INT8, integerRange, makeTensor, tensorValues, UINT8 } from './tensors.js';
import type { INodeProto } from '../../models/onnx.js';

export const QDQ_VERSION = 1;
export const QUANTIZED_OPS = ['Conv', 'Gemm', 'MatMul', 'Add'] as const;

export interface QdqOptions {
  /** uint8 (asymmetric, the x86 default) or int8 activations. */
  activations: 'uint8' | 'int8';
  /**
   * 8: weights in [-127, 127]. 7: [-63, 63], for AVX2 CPUs without VNNI, whose u8 x s8 kernel
   * (vpmaddubsw) adds pairs of products in int16 and can saturate with full-range weights.
   */
  weightBits: 8 | 7;
}

export interface TensorRange {
  min: number;
  max: number;
}

/** What the transform plans: the activations to calibrate and the ops it will quantise. */
export interface QdqPlan {
  activations: string[];
  nodes: INodeProto[];
}

function isActivationAfter(graph: Graph, n: INodeProto): boolean {
  if (n.opType === 'Relu') return true;
  // Clip with constant bounds (opset 11+ inputs, or the older attributes).
  return n.opType === 'Clip' && n.input!.slice(1).every((i) => !i || graph.isInitializer(i));
}

/** The float activation inputs and outputs of the quantisable ops. */
export function planQdq(graph: Graph): QdqPlan {
  const readers = graph.consumerMap();
  const activations = new Set<string>();
  const nodes: INodeProto[] = [];
  const isFloatActivation = (name: string) => !!name && !graph.isInitializer(name) && graph.types.get(name) === FLOAT;
  for (const n of graph.nodes) {
    if ((n.domain && n.domain !== 'ai.onnx') || !(QUANTIZED_OPS as readonly string[]).includes(n.opType!)) continue;
    const data = n.opType === 'Conv' || n.opType === 'Gemm' ? [n.input![0]!] : n.opType === 'Add' ? n.input!.slice(0, 2) : n.input!.filter((i) => !graph.isInitializer(i));
    const weight = n.opType === 'Conv' || n.opType === 'Gemm' ? n.input![1] : n.opType === 'MatMul' ? n.input!.find((i) => graph.isInitializer(i)) : undefined;
    // Add of a constant, a Gemm/MatMul without constant weights, or non-float data: left float.
    if (!data.every(isFloatActivation) || (n.opType !== 'Add' && (!weight || !graph.isInitializer(weight)))) continue;
    if (n.opType === 'Gemm' && (Number(attr(n, 'transA')?.i ?? 0) !== 0 || dims(graph.inits.get(weight!)!).length !== 2)) continue;
    nodes.push(n);
    for (const d of data) activations.add(d);
    let out = n.output![0]!;
    const next = readers.get(out) ?? [];
    if (next.length === 1 && isActivationAfter(graph, next[0]!) && !graph.isGraphOutput(out)) out = next[0]!.output![0]!;
    // The network's own outputs stay float: their consumers are people, not kernels.
    if (!graph.isGraphOutput(out) && graph.types.get(out) === FLOAT) activations.add(out);
  }
  return { activations: [...activations], nodes };
}

export interface QuantParams {
  scale: number;
  zeroPoint: number;
}

/** Asymmetric affine parameters covering [min(0, lo), max(0, hi)], so real 0 is exact. */
export function activationParams(range: TensorRange, type: QdqOptions['activations']): QuantParams {
  const lo = Math.min(0, range.min);
  const hi = Math.max(0, range.max);
  const [qmin, qmax] = integerRange(type === 'uint8' ? UINT8 : INT8);
  const scale = hi > lo ? (hi - lo) / (qmax - qmin) : 1;
  const zeroPoint = Math.min(qmax, Math.max(qmin, Math.round(qmin - lo / scale)));
  return { scale, zeroPoint };
}

/** Symmetric per-channel int8 along `axis`: q = round(w / s_c), s_c = max|w_c| / qmax. */
export function quantizeWeights(values: Float64Array, shape: number[], axis: number, bits: 8 | 7): { q: Int8Array; scales: Float32Array } {
  const qmax = bits === 8 ? 127 : 63;
  const channels = shape[axis]!;
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const absMax = new Float64Array(channels);
  for (let i = 0; i < values.length; i++) {
    const c = Math.floor(i / inner) % channels;
    absMax[c] = Math.max(absMax[c]!, Math.abs(values[i]!));
  }
  // Stored as float32 in the model: quantise with the float32 scale the runtime will use.
  const scales = Float32Array.from(absMax, (m) => (m > 0 ? m / qmax : 1));
  const q = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const c = Math.floor(i / inner) % channels;
    q[i] = Math.max(-qmax, Math.min(qmax, Math.round(values[i]! / scales[c]!)));
  }
  return { q, scales };
}

export interface QdqReport {
  quantizedNodes: number;
  activations: number;
  weights: number;
  biases: number;
}

/** Rewrites the graph in place; every planned activation needs a range. */
export function insertQdq(graph: Graph, plan: QdqPlan, ranges: Map<string, TensorRange>, opts: QdqOptions): QdqReport {
  const report: QdqReport = { quantizedNodes: plan.nodes.length, activations: 0, weights: 0, biases: 0 };
  const activationType = opts.activations === 'uint8' ? UINT8 : INT8;
  /** Dequantized activation name -> its parameters (a bias needs its input's scale). */
  const params = new Map<string, QuantParams>();

  // Activations: X -> Q -> DQ -> (every reader of X).
  for (const name of plan.activations) {
    const range = ranges.get(name);
    if (!range) throw new Error(`no calibration range for ${name}`);
    const p = activationParams(range, opts.activations);
    const scale = graph.fresh(`${name}_scale`);
    const zero = graph.fresh(`${name}_zero_point`);
    const quantized = graph.fresh(`${name}_quantized`);
    const dequantized = graph.fresh(`${name}_dequantized`);
    graph.setInitializer(makeTensor(scale, [], FLOAT, [p.scale]));
    graph.setInitializer(makeTensor(zero, [], activationType, [p.zeroPoint]));
    const q: INodeProto = { opType: 'QuantizeLinear', name: graph.fresh(`${name}_QuantizeLinear`), input: [name, scale, zero], output: [quantized] };
    graph.replaceUses(name, dequantized);
    graph.addNode(q);
    graph.addNode({ opType: 'DequantizeLinear', name: graph.fresh(`${name}_DequantizeLinear`), input: [quantized, scale, zero], output: [dequantized] });
    graph.types.set(quantized, activationType);
    graph.types.set(dequantized, FLOAT);
    params.set(dequantized, p);
    report.activations++;
  }

  // Weights and biases, once per initializer (shared weights stay shared).
  const done = new Map<string, string>();
  const weightScales = new Map<string, Float32Array>();
  const dequantizeConstant = (source: string, q: ArrayLike<number>, type: number, shape: number[], scales: ArrayLike<number>, axis: number): string => {
    const qName = graph.fresh(`${source}_quantized`);
    const sName = graph.fresh(`${source}_scale`);
    const zName = graph.fresh(`${source}_zero_point`);
    graph.setInitializer(makeTensor(qName, shape, type, q));
    graph.setInitializer(makeTensor(sName, [scales.length], FLOAT, scales));
    graph.setInitializer(makeTensor(zName, [scales.length], type, new Array(scales.length).fill(0)));
    const out = graph.fresh(`${source}_dequantized`);
    graph.addNode({ opType: 'DequantizeLinear', name: graph.fresh(`${source}_DequantizeLinear`), input: [qName, sName, zName], output: [out], attribute: [{ name: 'axis', type: 2, i: axis }] });
    graph.types.set(out, FLOAT);
    return out;
  };

  for (const n of plan.nodes) {
    if (n.opType === 'Add') continue;
    const wIndex = n.opType === 'MatMul' ? n.input!.findIndex((i) => graph.isInitializer(i)) : 1;
    const wName = n.input![wIndex]!;
    const w = graph.inits.get(wName)!;
    const shape = dims(w);
    // Output channels: Conv W is [M, C/g, kH, kW]; Gemm B is [K, N] or [N, K] with transB; MatMul B is [.., K, N].
    const axis = n.opType === 'Conv' ? 0 : n.opType === 'Gemm' ? (Number(attr(n, 'transB')?.i ?? 0) ? 0 : 1) : shape.length - 1;
    if (!done.has(wName)) {
      const { q, scales } = quantizeWeights(tensorValues(w), shape, axis, opts.weightBits);
      done.set(wName, dequantizeConstant(wName, q, INT8, shape, scales, axis));
      weightScales.set(wName, scales);
      report.weights++;
    }
    n.input![wIndex] = done.get(wName)!;

    // Bias: int32 with scale input_scale x weight_scale[c], zero point 0 (what QLinearConv/QGemm take).
    const bIndex = n.opType === 'Conv' ? 2 : n.opType === 'Gemm' ? 2 : -1;
    const bName = bIndex > 0 ? n.input![bIndex] : undefined;
    const inputParams = params.get(n.input![0]!);
    if (!bName || !graph.isInitializer(bName) || !inputParams) continue;
    const b = graph.inits.get(bName)!;
    const ws = weightScales.get(wName)!;
    if (dims(b).length !== 1 || dims(b)[0] !== ws.length) continue;
    const bScales = Float32Array.from(ws, (s) => s * inputParams.scale);
    const bValues = tensorValues(b);
    const bq = Array.from(bValues, (v, c) => Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, Math.round(v / bScales[c]!))));
    n.input![bIndex] = dequantizeConstant(bName, bq, INT32, dims(b), bScales, 0);
    report.biases++;
  }
  graph.prune();
  return report;
}
