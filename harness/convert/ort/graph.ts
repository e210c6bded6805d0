/**
 * A small editable view of an ONNX graph for the onnxruntime converters: initializers by name,
 * element types of every tensor (ORT's own type inference fills value_info, see optimize.ts),
 * consumers and producers, fresh names, dead-node removal and a topological re-sort on save.
 */
import { DataType, encodeModel, onnx, tensorSize, type GraphProto, type IAttributeProto, type INodeProto, type ITensorProto, type ModelProto, type NodeProto } from '../../models/onnx.js';

export const FLOAT = DataType.FLOAT;
export const FLOAT16 = DataType.FLOAT16;
export const UINT8 = DataType.UINT8;
export const INT8 = DataType.INT8;
export const INT32 = DataType.INT32;

/** The integer range of a quantized element type (uint8, else int8), written once for quantising and folding. */
export function integerRange(dataType: number): [number, number] {
  return dataType === DataType.UINT8 ? [0, 255] : [-128, 127];
}

/** The element values of a tensor as doubles, whatever field and type it is stored in. */
export function tensorValues(t: ITensorProto): Float64Array {
  const n = tensorSize(t);
  const out = new Float64Array(n);
  const raw = t.rawData && t.rawData.length ? t.rawData : undefined;
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  for (let i = 0; i < n; i++) {
    switch (t.dataType) {
      case DataType.FLOAT:
        out[i] = view ? view.getFloat32(i * 4, true) : Number(t.floatData![i]);
        break;
      case DataType.FLOAT16:
        out[i] = halfToFloat(view ? view.getUint16(i * 2, true) : Number(t.int32Data![i]));
        break;
      case DataType.UINT8:
        out[i] = view ? view.getUint8(i) : Number(t.int32Data![i]);
        break;
      case DataType.INT8:
        out[i] = view ? view.getInt8(i) : Number(t.int32Data![i]);
        break;
      case DataType.INT32:
        out[i] = view ? view.getInt32(i * 4, true) : Number(t.int32Data![i]);
        break;
      case DataType.INT64:
        out[i] = view ? Number(view.getBigInt64(i * 8, true)) : Number(t.int64Data![i]);
        break;
      default:
        throw new Error(`tensor ${t.name}: element type ${t.dataType} is not readable here`);
    }
  }
  return out;
}

export function dims(t: ITensorProto): number[] {
  return (t.dims ?? []).map(Number);
}

/** A tensor of the given element type; values are already rounded/clamped by the caller where integral. */
export function makeTensor(name: string, shape: number[], dataType: number, values: ArrayLike<number>): ITensorProto {
  const n = values.length;
  let raw: Uint8Array;
  switch (dataType) {
    case DataType.FLOAT:
      raw = new Uint8Array(Float32Array.from(values).buffer);
      break;
    case DataType.FLOAT16: {
      const h = new Uint16Array(n);
      for (let i = 0; i < n; i++) h[i] = floatToHalf(values[i]!);
      raw = new Uint8Array(h.buffer);
      break;
    }
    case DataType.UINT8:
      raw = Uint8Array.from(values);
      break;
    case DataType.INT8:
      raw = new Uint8Array(Int8Array.from(values).buffer);
      break;
    case DataType.INT32:
      raw = new Uint8Array(Int32Array.from(values).buffer);
      break;
    case DataType.INT64:
      raw = new Uint8Array(BigInt64Array.from(Array.from(values, (v) => BigInt(v))).buffer);
      break;
    default:
      throw new Error(`cannot write element type ${dataType}`);
  }
  return { name, dims: shape, dataType, rawData: raw };
}

// IEEE 754 binary16 <-> binary32, round to nearest even (Node 20 has no Float16Array).
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
export function floatToHalf(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0); // inf, nan
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00; // overflow -> inf
  if (e <= 0) {
    if (e < -10) return sign; // underflow -> signed zero
    mant |= 0x800000; // subnormal: shift the implicit bit in
    const shift = 14 - e;
    const half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    return sign | (half + (rem > mid || (rem === mid && (half & 1)) ? 1 : 0));
  }
  const rem = mant & 0x1fff;
  let half = (e << 10) | (mant >>> 13);
  if (rem > 0x1000 || (rem === 0x1000 && (half & 1))) half++; // may carry into the exponent, which is right
  return sign | half;
}
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 0x1f) return mant ? NaN : sign * Infinity;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

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
