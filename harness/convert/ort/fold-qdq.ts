/**
 * QDQ model -> float model: every DequantizeLinear of constant data becomes a float initializer
 * (the weights and biases the int8 model computes with, exactly), and every activation
 * QuantizeLinear/DequantizeLinear pair is dropped. A pair whose range starts at 0 stands for a
 * ReLU/ReLU6 the quantizer folded into it (onnxruntime removes them), so it becomes
 * Clip(0, top of its range) instead: dropping it would change the network, not its precision.
 */
import { onnx, type TensorProto } from '../../models/onnx.js';
import { attr, Graph } from './graph.js';
import { dims, FLOAT, integerRange, makeTensor, tensorValues, UINT8 } from './tensors.js';

export const FOLD_QDQ_VERSION = 1;

/** (q - zero point) * scale, per tensor or along `axis` when the scale is a vector. */
function dequantize(q: ReturnType<typeof tensorValues>, shape: number[], scale: Float64Array, zero: Float64Array, axis: number): Float32Array {
  const out = new Float32Array(q.length);
  if (scale.length === 1) {
    for (let i = 0; i < q.length; i++) out[i] = (q[i]! - (zero[0] ?? 0)) * scale[0]!;
    return out;
  }
  const ax = axis < 0 ? axis + shape.length : axis;
  const inner = shape.slice(ax + 1).reduce((a, b) => a * b, 1);
  const channels = shape[ax]!;
  for (let i = 0; i < q.length; i++) {
    const c = Math.floor(i / inner) % channels;
    out[i] = (q[i]! - (zero[c] ?? 0)) * scale[c]!;
  }
  return out;
}

/** Constant nodes become initializers, so folding sees every constant the same way. */
export function constantsToInitializers(graph: Graph): void {
  for (const n of [...graph.nodes]) {
    const value = n.opType === 'Constant' ? attr(n, 'value')?.t : undefined;
    if (!value || n.output!.length !== 1) continue;
    graph.setInitializer({ ...onnx.TensorProto.toObject(value as TensorProto), name: n.output![0] });
    graph.nodes = graph.nodes.filter((x) => x !== n);
  }
}

export interface FoldReport {
  weights: number;
  droppedPairs: number;
  clips: number;
}

export function foldQdq(graph: Graph): FoldReport {
  constantsToInitializers(graph);
  const report: FoldReport = { weights: 0, droppedPairs: 0, clips: 0 };
  // 1. DequantizeLinear of initializers -> float initializers.
  for (const n of [...graph.nodes]) {
    if (n.opType !== 'DequantizeLinear' || !n.input!.every((i) => !i || graph.isInitializer(i))) continue;
    const [qName, sName, zName] = n.input!;
    const q = graph.inits.get(qName!)!;
    const zero = zName ? tensorValues(graph.inits.get(zName)!) : new Float64Array(1);
    const values = dequantize(tensorValues(q), dims(q), tensorValues(graph.inits.get(sName!)!), zero, Number(attr(n, 'axis')?.i ?? 1));
    graph.setInitializer(makeTensor(n.output![0]!, dims(q), FLOAT, values));
    graph.nodes = graph.nodes.filter((x) => x !== n);
    report.weights++;
  }
  // 2. Activation pairs X -> Q -> DQ -> Y: Y's readers read X (or Clip(X) for a folded ReLU).
  const readers = graph.consumerMap();
  for (const q of [...graph.nodes]) {
    if (q.opType !== 'QuantizeLinear') continue;
    const dqs = readers.get(q.output![0]!) ?? [];
    if (!dqs.length || dqs.some((d) => d.opType !== 'DequantizeLinear')) continue;
    const [x, sName, zName] = q.input!;
    const scale = tensorValues(graph.inits.get(sName!)!)[0]!;
    const zeroTensor = zName ? graph.inits.get(zName) : undefined;
    const zero = zeroTensor ? tensorValues(zeroTensor)[0]! : 0;
    const [qmin, qmax] = integerRange(zeroTensor?.dataType ?? UINT8);
    let replacement = x!;
    if (zero === qmin) {
      const lo = graph.fresh(`${x}_relu_min`);
      const hi = graph.fresh(`${x}_relu_max`);
      graph.setInitializer(makeTensor(lo, [], FLOAT, [0]));
      graph.setInitializer(makeTensor(hi, [], FLOAT, [(qmax - zero) * scale]));
      replacement = graph.fresh(`${x}_relu`);
      graph.addNode({ opType: 'Clip', name: graph.fresh(`${q.name}_as_clip`), input: [x!, lo, hi], output: [replacement] });
      graph.types.set(replacement, FLOAT);
      report.clips++;
    }
    for (const dq of dqs) {
      const y = dq.output![0]!;
      if (graph.isGraphOutput(y)) graph.addNode({ opType: 'Identity', name: graph.fresh(`${dq.name}_identity`), input: [replacement], output: [y] });
      else graph.replaceUses(y, replacement);
      graph.nodes = graph.nodes.filter((n) => n !== dq);
    }
    graph.nodes = graph.nodes.filter((n) => n !== q);
    report.droppedPairs++;
  }
  graph.prune();
  return report;
}
