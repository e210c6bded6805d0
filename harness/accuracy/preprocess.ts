/**
 * Image -> model input, as declared by a model's PreprocessSpec. sharp decodes, resizes and
 * crops (in libvips threads, off the JS thread); the pure functions below lay out the tensor, so
 * each transform can be checked against hand-computed pixels.
 */
import sharp, { type Metadata } from 'sharp';
import type { PreprocessSpec } from '../models/registry.js';

// Every image is read once: libvips' operation cache only costs memory (and 50k entries would
// not stay flat), so it is off.
sharp.cache(false);

/**
 * Size after the resize step. A shorter-side resize scales the long side by the same factor and
 * rounds it; crop offsets are floor((size - crop) / 2). This is the rule that reproduces the
 * independent reference figures in ../shared/assets/README.md exactly (63/87 on val-100, and
 * 45/69 with BGR); torchvision's truncation and round-half-even offsets differ by 1-2 images.
 */
export function resizedSize(width: number, height: number, resize: PreprocessSpec['resize']): { width: number; height: number } {
  if ('width' in resize) return { width: resize.width, height: resize.height };
  const scale = resize.shorter / Math.min(width, height);
  return { width: Math.round(width * scale), height: Math.round(height * scale) };
}

/**
 * Letterbox: the size the image is scaled to inside WxH (aspect kept, truncated as the RDK X5
 * zoo's int(w * scale) does), and the padding before it: pad // 2 on the left and top.
 */
export function letterboxLayout(width: number, height: number, box: { width: number; height: number }): { width: number; height: number; left: number; top: number } {
  const scale = Math.min(box.width / width, box.height / height);
  const w = Math.max(1, Math.min(box.width, Math.floor(width * scale)));
  const h = Math.max(1, Math.min(box.height, Math.floor(height * scale)));
  return { width: w, height: h, left: Math.floor((box.width - w) / 2), top: Math.floor((box.height - h) / 2) };
}

/** Interleaved RGB of w x h placed at (left, top) in a box filled with grey `pad`. */
export function padInto(rgb: Uint8Array, w: number, h: number, box: { width: number; height: number }, left: number, top: number, pad = 127): Uint8Array {
  const out = new Uint8Array(box.width * box.height * 3).fill(pad);
  for (let y = 0; y < h; y++) out.set(rgb.subarray(y * w * 3, (y + 1) * w * 3), ((top + y) * box.width + left) * 3);
  return out;
}

/** Centre-crop offsets: floor((size - crop) / 2). */
export function cropOffsets(width: number, height: number, crop: { width: number; height: number }): { left: number; top: number } {
  return { left: Math.floor((width - crop.width) / 2), top: Math.floor((height - crop.height) / 2) };
}

const KERNELS = { bicubic: 'cubic', bilinear: 'linear', nearest: 'nearest', lanczos3: 'lanczos3' } as const;

export class ImageError extends Error {}

/** Decode, resize, centre-crop: interleaved RGB bytes of the crop size. */
export async function decodeAndCrop(input: string | Buffer, spec: PreprocessSpec): Promise<{ rgb: Uint8Array; width: number; height: number }> {
  let meta: Metadata;
  try {
    meta = await sharp(input, { failOn: 'truncated' }).metadata();
  } catch (err) {
    throw new ImageError(`cannot read image: ${(err as Error).message}`);
  }
  if (!meta.width || !meta.height) throw new ImageError('image has no dimensions');
  if ('fit' in spec.resize && spec.resize.fit === 'letterbox') return letterboxed(input, meta.width, meta.height, spec);
  const size = resizedSize(meta.width, meta.height, spec.resize);
  if (size.width < spec.crop.width || size.height < spec.crop.height) {
    throw new ImageError(`resized to ${size.width}x${size.height}, smaller than the ${spec.crop.width}x${spec.crop.height} crop`);
  }
  const { left, top } = cropOffsets(size.width, size.height, spec.crop);
  try {
    const { data, info } = await sharp(input, { failOn: 'truncated' })
      // A shorter-side resize keeps the aspect: sharp's `cover` (its default) with the computed
      // size is what reproduces the reference; `fill` takes another path and differs by pixels.
      // A fixed WxH (MagicMind's 256x256) deliberately distorts: `fill`.
      .resize({ width: size.width, height: size.height, fit: 'shorter' in spec.resize ? 'cover' : 'fill', kernel: KERNELS[spec.kernel] })
      .extract({ left, top, width: spec.crop.width, height: spec.crop.height })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    let rgb: Uint8Array = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (info.channels === 1) rgb = greyToRgb(rgb);
    else if (info.channels !== 3) throw new ImageError(`decoded to ${info.channels} channels, expected 3`);
    return { rgb, width: info.width, height: info.height };
  } catch (err) {
    if (err instanceof ImageError) throw err;
    throw new ImageError(`cannot decode image: ${(err as Error).message}`);
  }
}

/** Letterbox to the resize box, then centre-crop the box (usually the crop is the box). */
async function letterboxed(input: string | Buffer, width: number, height: number, spec: PreprocessSpec): Promise<{ rgb: Uint8Array; width: number; height: number }> {
  const box = spec.resize as { width: number; height: number };
  if (box.width < spec.crop.width || box.height < spec.crop.height) throw new ImageError(`letterboxed to ${box.width}x${box.height}, smaller than the ${spec.crop.width}x${spec.crop.height} crop`);
  const fit = letterboxLayout(width, height, box);
  let data: Buffer;
  let channels: number;
  try {
    const r = await sharp(input, { failOn: 'truncated' })
      .resize({ width: fit.width, height: fit.height, fit: 'fill', kernel: KERNELS[spec.kernel] })
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    data = r.data;
    channels = r.info.channels;
  } catch (err) {
    throw new ImageError(`cannot decode image: ${(err as Error).message}`);
  }
  let rgb: Uint8Array = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  if (channels === 1) rgb = greyToRgb(rgb);
  else if (channels !== 3) throw new ImageError(`decoded to ${channels} channels, expected 3`);
  const padded = padInto(rgb, fit.width, fit.height, box, fit.left, fit.top);
  const { left, top } = cropOffsets(box.width, box.height, spec.crop);
  if (left === 0 && top === 0 && box.width === spec.crop.width && box.height === spec.crop.height) return { rgb: padded, width: box.width, height: box.height };
  const out = new Uint8Array(spec.crop.width * spec.crop.height * 3);
  for (let y = 0; y < spec.crop.height; y++) out.set(padded.subarray(((top + y) * box.width + left) * 3, ((top + y) * box.width + left + spec.crop.width) * 3), y * spec.crop.width * 3);
  return { rgb: out, width: spec.crop.width, height: spec.crop.height };
}

function greyToRgb(grey: Uint8Array): Uint8Array {
  const out = new Uint8Array(grey.length * 3);
  for (let i = 0; i < grey.length; i++) out[3 * i] = out[3 * i + 1] = out[3 * i + 2] = grey[i]!;
  return out;
}

/** Per-channel lookup tables: a byte maps to its normalised value in one load, not a multiply-add. */
function lookupTables(spec: PreprocessSpec): Float32Array[] {
  return [0, 1, 2].map((c) => {
    const lut = new Float32Array(256);
    for (let v = 0; v < 256; v++) lut[v] = (v * spec.scale - spec.mean[c]!) / spec.std[c]!;
    return lut;
  });
}

/** Interleaved RGB bytes -> the model's tensor (colour order, layout, dtype, scale, mean/std). */
export function toTensor(rgb: Uint8Array, width: number, height: number, spec: PreprocessSpec): Float32Array | Uint8Array {
  if (spec.output === 'nv12') return rgbToNv12(spec.colour === 'RGB' ? rgb : swapRedBlue(rgb), width, height);
  const [s0, s1, s2] = spec.colour === 'RGB' ? [0, 1, 2] : [2, 1, 0];
  const plane = width * height;
  if (spec.dtype === 'uint8') {
    const out = new Uint8Array(plane * 3);
    for (let p = 0, i = 0; p < plane; p++, i += 3) {
      const a = rgb[i + s0]!, b = rgb[i + s1]!, c = rgb[i + s2]!;
      if (spec.layout === 'NCHW') {
        out[p] = a;
        out[plane + p] = b;
        out[2 * plane + p] = c;
      } else {
        out[i] = a;
        out[i + 1] = b;
        out[i + 2] = c;
      }
    }
    return out;
  }
  const [l0, l1, l2] = lookupTables(spec) as [Float32Array, Float32Array, Float32Array];
  const out = new Float32Array(plane * 3);
  if (spec.layout === 'NCHW') {
    for (let p = 0, i = 0; p < plane; p++, i += 3) {
      out[p] = l0[rgb[i + s0]!]!;
      out[plane + p] = l1[rgb[i + s1]!]!;
      out[2 * plane + p] = l2[rgb[i + s2]!]!;
    }
  } else {
    for (let i = 0; i < plane * 3; i += 3) {
      out[i] = l0[rgb[i + s0]!]!;
      out[i + 1] = l1[rgb[i + s1]!]!;
      out[i + 2] = l2[rgb[i + s2]!]!;
    }
  }
  return out;
}

/** RGB <-> BGR of interleaved pixels (a copy). */
export function swapRedBlue(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array(rgb.length);
  for (let i = 0; i < rgb.length; i += 3) {
    out[i] = rgb[i + 2]!;
    out[i + 1] = rgb[i + 1]!;
    out[i + 2] = rgb[i]!;
  }
  return out;
}

// BT.601 limited range in 20-bit fixed point: the coefficients OpenCV's COLOR_BGR2YUV_I420 uses,
// so our NV12 matches the RDK X5 samples' bgr2nv12 (cv2 I420, then U and V interleaved).
const SHIFT = 20;
const HALF = 1 << (SHIFT - 1);
const C = { ry: 269484, gy: 528482, by: 102760, ru: -155188, gu: -305135, bu: 460324, gv: -385875, bv: -74448 };
const clamp8 = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

/**
 * RGB -> NV12: the Y plane (w*h bytes), then w*h/2 bytes of interleaved U,V. Each chroma pair
 * comes from the top-left pixel of its 2x2 block (OpenCV subsamples, it does not average).
 */
export function rgbToNv12(rgb: Uint8Array, width: number, height: number): Uint8Array {
  if (width % 2 || height % 2) throw new ImageError(`NV12 needs even dimensions, got ${width}x${height}`);
  const plane = width * height;
  const out = new Uint8Array(plane + plane / 2);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const r = rgb[i]!;
      const g = rgb[i + 1]!;
      const b = rgb[i + 2]!;
      out[y * width + x] = clamp8((C.ry * r + C.gy * g + C.by * b + HALF + (16 << SHIFT)) >> SHIFT);
      if (y % 2 === 0 && x % 2 === 0) {
        const at = plane + (y / 2) * width + x;
        out[at] = clamp8((C.ru * r + C.gu * g + C.bu * b + HALF + (128 << SHIFT)) >> SHIFT);
        out[at + 1] = clamp8((C.bu * r + C.gv * g + C.bv * b + HALF + (128 << SHIFT)) >> SHIFT);
      }
    }
  }
  return out;
}

export async function preprocessImage(input: string | Buffer, spec: PreprocessSpec): Promise<Float32Array | Uint8Array> {
  const { rgb, width, height } = await decodeAndCrop(input, spec);
  return toTensor(rgb, width, height, spec);
}

/** Elements per image of the model input this spec produces. */
export function tensorLength(spec: PreprocessSpec): number {
  const plane = spec.crop.width * spec.crop.height;
  return spec.output === 'nv12' ? plane + plane / 2 : plane * 3;
}
