/**
 * A small editable view of an ONNX graph for the onnxruntime converters: initializers by name,
 * element types of every tensor (ORT's own type inference fills value_info, see optimize.ts),
 * consumers and producers, fresh names, dead-node removal and a topological re-sort on save.
 */
import { DataType, encodeModel, onnx, type GraphProto, type IAttributeProto, type INodeProto, type ITensorProto, type ModelProto, type NodeProto } from '../../models/onnx.js';

export class Graph {
  readonly model: ModelProto;
  readonly inits = new Map<string, ITensorProto>();
  /** Element type of every tensor ORT's inference (or the graph) states. */
  readonly types = new Map<string, number>();
  private used = new Set<string>();

  constructor(model: ModelProto) {
    this.model = model;
    const g = this.graph;
    for (const t of g.initializer) this.inits.set(t.name!, t);
    for (const v of [...g.input, ...g.output, ...g.valueInfo]) {
      const elem = v.type?.tensorType?.elemType;
      if (elem) this.types.set(v.name!, elem);
    }
    for (const t of g.initializer) this.types.set(t.name!, t.dataType!);
    for (const n of g.node) for (const name of [...(n.input ?? []), ...(n.output ?? []), n.name ?? '']) this.used.add(name);
    for (const name of this.types.keys()) this.used.add(name);
  }

  get graph(): GraphProto {
    return this.model.graph as GraphProto;
  }
  get nodes(): INodeProto[] {
    return this.graph.node;
  }
  set nodes(list: INodeProto[]) {
    this.graph.node = list as NodeProto[];
  }

  /** A name not used anywhere in the graph yet. */
  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }

  /**
   * Fills element types value_info does not state (onnxruntime writes value_info only for some
   * tensors), by the rule of each op: most ops output the type of their first input.
   */
  inferTypes(): void {
    this.sort();
    for (const n of this.nodes) {
      const first = this.types.get(n.input![0] ?? '');
      n.output!.forEach((o, k) => {
        if (!o || this.types.has(o)) return;
        const t = outputType(n, k, first, this);
        if (t !== undefined) this.types.set(o, t);
      });
    }
  }

  isInitializer(name: string): boolean {
    return this.inits.has(name);
  }
  isGraphOutput(name: string): boolean {
    return this.graph.output.some((o) => o.name === name);
  }

  /** Every tensor name -> the nodes reading it (one pass; stale after edits). */
  consumerMap(): Map<string, INodeProto[]> {
    const map = new Map<string, INodeProto[]>();
    for (const n of this.nodes) for (const i of n.input!) if (i) (map.get(i) ?? map.set(i, []).get(i)!).push(n);
    return map;
  }

  setInitializer(t: ITensorProto): void {
    const g = this.graph;
    g.initializer = g.initializer.filter((x) => x.name !== t.name);
    g.initializer.push(onnx.TensorProto.fromObject(t));
    this.inits.set(t.name!, g.initializer[g.initializer.length - 1]!);
    this.types.set(t.name!, t.dataType!);
    this.used.add(t.name!);
  }

  addNode(n: INodeProto): void {
    this.nodes.push(onnx.NodeProto.fromObject(n));
    for (const name of [...(n.input ?? []), ...(n.output ?? []), n.name ?? '']) this.used.add(name);
  }

  /** Points every reader of `from` (nodes, and the graph output) at `to`. */
  replaceUses(from: string, to: string, except?: INodeProto): void {
    for (const n of this.nodes) if (n !== except) n.input = n.input!.map((i) => (i === from ? to : i));
  }

  /** Records a tensor's element type (kept in value_info, as ORT wrote it). */
  setType(name: string, elemType: number): void {
    this.types.set(name, elemType);
    for (const list of [this.graph.valueInfo, this.graph.output, this.graph.input]) {
      for (const v of list) if (v.name === name && v.type?.tensorType) v.type.tensorType.elemType = elemType;
    }
  }

  /** Removes nodes and initializers nothing reads on the way to a graph output, and stale value_info. */
  prune(): void {
    this.sort(); // the backward walk needs producers before readers
    const g = this.graph;
    const live = new Set(g.output.map((o) => o.name!));
    const keep: INodeProto[] = [];
    for (const n of [...this.nodes].reverse()) {
      if (n.output!.some((o) => live.has(o))) {
        keep.push(n);
        for (const i of n.input!) live.add(i);
      }
    }
    this.nodes = keep.reverse();
    g.initializer = g.initializer.filter((t) => live.has(t.name!));
    for (const name of [...this.inits.keys()]) if (!live.has(name)) this.inits.delete(name);
    const produced = new Set(this.nodes.flatMap((n) => n.output!));
    g.valueInfo = g.valueInfo.filter((v) => produced.has(v.name!));
  }

  /** Kahn's sort, stable with respect to the current order (inserted nodes land after their inputs). */
  sort(): void {
    const available = new Set<string>(['', ...this.inits.keys(), ...this.graph.input.map((i) => i.name!)]);
    const pending = [...this.nodes];
    const sorted: INodeProto[] = [];
    while (pending.length) {
      const i = pending.findIndex((n) => n.input!.every((x) => available.has(x)));
      if (i < 0) throw new Error(`graph has a cycle or an unknown input: node ${pending[0]!.name} (${pending[0]!.opType}) reads ${pending[0]!.input!.filter((x) => !available.has(x)).join(', ')}`);
      const [n] = pending.splice(i, 1);
      sorted.push(n!);
      for (const o of n!.output!) available.add(o);
    }
    this.nodes = sorted;
  }

  encode(): Uint8Array {
    this.sort();
    return encodeModel(this.model);
  }
}

const INDEX_OUTPUTS = new Set(['Shape', 'Size', 'ArgMax', 'ArgMin', 'NonZero', 'NonMaxSuppression']);
const BOOL_OUTPUTS = new Set(['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'Not', 'And', 'Or', 'Xor', 'IsNaN', 'IsInf']);

function outputType(n: INodeProto, k: number, first: number | undefined, graph: Graph): number | undefined {
  const op = n.opType!;
  if (INDEX_OUTPUTS.has(op) || (op === 'TopK' && k === 1)) return DataType.INT64;
  if (BOOL_OUTPUTS.has(op)) return DataType.BOOL;
  if (op === 'Cast') return Number(attr(n, 'to')?.i);
  if (op === 'DequantizeLinear') return DataType.FLOAT;
  if (op === 'QuantizeLinear') return graph.types.get(n.input![2] ?? '') ?? DataType.UINT8;
  if (op === 'ConstantOfShape') return attr(n, 'value')?.t?.dataType ?? DataType.FLOAT;
  if (op === 'Constant') return attr(n, 'value')?.t?.dataType ?? undefined;
  if (n.domain && n.domain !== 'ai.onnx') return undefined;
  return first;
}

export function attr(n: INodeProto, name: string): IAttributeProto | undefined {
  return n.attribute?.find((a) => a.name === name);
}
