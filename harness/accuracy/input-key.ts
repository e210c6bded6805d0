/**
 * What identifies a preprocessed input: the preprocessing spec as far as it shapes the cached
 * bytes (resize rule, kernel, crop, colour order, layout, dtype, target encoding such as NV12),
 * the version of the code that makes them (ours and sharp's libvips), and each image's identity
 * (size and mtime, or its sha256 when verifying). Normalisation (scale, mean, std) is applied at
 * feed time and is not part of the key: one cache serves every precision of a model family.
 */
import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import sharp from 'sharp';
import type { PreprocessSpec } from '../models/registry.js';
import { sha256File } from '../models/assets.js';
import { stableJson } from '../util/files.js';

/**
 * Bump when decodeAndCrop, toTensor's byte layout or rgbToNv12 change what they produce: every
 * cache entry made by an older version then misses.
 */
export const PREPROCESS_CODE_VERSION = 1;

/** The spec fields that shape the cached bytes, with the code versions that make them. */
export function cachedSpec(spec: PreprocessSpec): Record<string, unknown> {
  return {
    resize: spec.resize,
    kernel: spec.kernel,
    crop: spec.crop,
    colour: spec.colour,
    layout: spec.layout,
    dtype: spec.dtype,
    output: spec.output ?? 'tensor',
    code: PREPROCESS_CODE_VERSION,
    vips: sharp.versions.vips,
    sharp: sharp.versions.sharp ?? '',
  };
}

export function specKey(spec: PreprocessSpec): string {
  return sha256(stableJson(cachedSpec(spec)));
}

/** The cache file for a dataset folder and spec: one file per (dataset, spec). */
export function entryKey(imagesDir: string, spec: PreprocessSpec): string {
  return sha256(stableJson({ dataset: imagesDir, spec: specKey(spec) })).slice(0, 32);
}

/** The bytes toTensor makes before normalisation: the same spec with uint8 output and no scaling. */
export function storedSpec(spec: PreprocessSpec): PreprocessSpec {
  return { ...spec, dtype: 'uint8', scale: 1, mean: [0, 0, 0], std: [1, 1, 1] };
}

export interface ImageIdentity {
  size: number;
  /** Nanoseconds, as a decimal string (a float loses the last digits). */
  mtimeNs: string;
  sha256?: string;
}

/** undefined when the file cannot be read: never a hit, never cached (decoding it says why). */
export async function imageIdentity(file: string, verify: boolean): Promise<ImageIdentity | undefined> {
  try {
    const st = statSync(file, { bigint: true });
    return { size: Number(st.size), mtimeNs: st.mtimeNs.toString(), ...(verify ? { sha256: await sha256File(file) } : {}) };
  } catch {
    return undefined;
  }
}

/** Same image as the cached one: by content when verifying, else by size and mtime. */
export function sameImage(cached: ImageIdentity, now: ImageIdentity): boolean {
  if (now.sha256 !== undefined) return cached.sha256 === now.sha256;
  return cached.size === now.size && cached.mtimeNs === now.mtimeNs;
}

/**
 * The selection's key: sha256 over the ordered image list (paths with size and mtime, or content
 * hashes) and the spec. Reported with the results; the cache file itself is found by entryKey and
 * its index is checked image by image, so a partial selection reuses what it needs.
 */
export function selectionKey(names: string[], ids: (ImageIdentity | undefined)[], spec: PreprocessSpec): string {
  const h = createHash('sha256').update(specKey(spec));
  names.forEach((n, i) => h.update(`\n${n}\t${ids[i] ? (ids[i]!.sha256 ?? `${ids[i]!.size}\t${ids[i]!.mtimeNs}`) : 'unreadable'}`));
  return h.digest('hex');
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
