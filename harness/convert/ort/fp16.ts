/**
 * float32 -> float16: weights stored as float16 and every op that may compute in float16 given
 * float16 tensors; the model's inputs and outputs stay float32 (Casts at the edges), and ops
 * that must see float32 keep it behind Casts. Where onnxruntime's CPU provider has no float16
 * kernel for an op, it inserts its own Casts around it (its InsertCastTransformer): values are
 * still rounded to float16 between ops, which is what this precision is about.
 */
import { constantsToInitializers } from './fold-qdq.js';
import { Graph } from './graph.js';
import { FLOAT, FLOAT16, makeTensor, tensorValues, dims } from './tensors.js';
import type { INodeProto } from '../../models/onnx.js';

export const FP16_VERSION = 1;

/**
 * Ops left in float32: their float inputs have no float16 type in the ONNX spec (Resize scales,
 * Range, TopK's K...), they carry float constants in attributes, or they are quantisation ops
 * whose scales are float32 by definition.
 */
export const KEEP_FLOAT32 = new Set([
  'Resize', 'Upsample', 'Range', 'TopK', 'NonMaxSuppression', 'RoiAlign', 'CumSum',
  'RandomNormal', 'RandomUniform', 'RandomNormalLike', 'RandomUniformLike', 'Multinomial', 'EyeLike',
  'ConstantOfShape', 'QuantizeLinear', 'DequantizeLinear', 'DynamicQuantizeLinear',
]);
/** Ops that take any element type and whose output type does not follow the input. */
const TYPE_AGNOSTIC = new Set(['Cast', 'Shape', 'Size']);

export interface Fp16Options {
  /** More op types to keep in float32. */
  keepFloat32?: readonly string[];
}

export interface Fp16Report {
  float16Nodes: number;
  float32Nodes: number;
  convertedInitializers: number;
  casts: number;
}

export function toFloat16(graph: Graph, opts: Fp16Options = {}): Fp16Report {
  constantsToInitializers(graph);
  graph.inferTypes();
  const keep = new Set([...KEEP_FLOAT32, ...(opts.keepFloat32 ?? [])]);
  const report: Fp16Report = { float16Nodes: 0, float32Nodes: 0, convertedInitializers: 0, casts: 0 };
  const isHalfNode = (n: INodeProto) => !keep.has(n.opType!) && !TYPE_AGNOSTIC.has(n.opType!) && (!n.domain || n.domain === 'ai.onnx');
  const readers = graph.consumerMap();
  const casts = new Map<string, string>(); // `${tensor}->${type}` -> cast output

  const castTo = (name: string, to: number): string => {
    const key = `${name}->${to}`;
    if (!casts.has(key)) {
      const out = graph.fresh(`${name}_${to === FLOAT16 ? 'float16' : 'float32'}`);
      graph.addNode({ opType: 'Cast', name: graph.fresh(`${name}_cast_${to === FLOAT16 ? 'float16' : 'float32'}`), input: [name], output: [out], attribute: [{ name: 'to', type: 2, i: to }] });
      graph.types.set(out, to);
      casts.set(key, out);
      report.casts++;
    }
    return casts.get(key)!;
  };

  for (const n of [...graph.nodes]) {
    if (TYPE_AGNOSTIC.has(n.opType!)) continue;
    const half = isHalfNode(n);
    half ? report.float16Nodes++ : report.float32Nodes++;
    n.input = n.input!.map((name) => {
      const type = graph.types.get(name);
      if (!name || (type !== FLOAT && type !== FLOAT16)) return name;
      if (half && type === FLOAT) {
        // An initializer read only by float16 ops is converted in place; anything else gets a Cast.
        if (graph.isInitializer(name) && (readers.get(name) ?? []).every(isHalfNode)) {
          const t = graph.inits.get(name)!;
          graph.setInitializer(makeTensor(name, dims(t), FLOAT16, tensorValues(t)));
          report.convertedInitializers++;
          return name;
        }
        return castTo(name, FLOAT16);
      }
      if (!half && type === FLOAT16) return castTo(name, FLOAT);
      return name;
    });
    if (half) for (const o of n.output!) if (graph.types.get(o) === FLOAT) graph.setType(o, FLOAT16);
  }

  // The model's outputs stay float32: the producer writes <name>_float16, a Cast writes <name>.
  for (const output of graph.graph.output) {
    const name = output.name!;
    if (graph.types.get(name) !== FLOAT16) continue;
    const inner = graph.fresh(`${name}_float16`);
    for (const n of graph.nodes) {
      n.output = n.output!.map((o) => (o === name ? inner : o));
      n.input = n.input!.map((i) => (i === name ? inner : i));
    }
    graph.types.set(inner, FLOAT16);
    graph.addNode({ opType: 'Cast', name: graph.fresh(`${name}_cast_float32`), input: [inner], output: [name], attribute: [{ name: 'to', type: 2, i: FLOAT }] });
    graph.graph.valueInfo = graph.graph.valueInfo.filter((v) => v.name !== name);
    graph.setType(name, FLOAT);
    report.casts++;
  }
  graph.prune();
  return report;
}
