/** ONNX tensor values for the onnxruntime converters: element types, reading and writing raw data, IEEE binary16. */
import { DataType, tensorSize, type ITensorProto } from '../../models/onnx.js';

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
