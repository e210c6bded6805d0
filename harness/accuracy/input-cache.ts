/**
 * The preprocessed-input cache file: one file per (dataset folder, preprocessing spec) under
 * <cache>/inputs/<key>.pic, holding each image's uint8 bytes after resize, crop, colour order,
 * layout or NV12 (normalisation is applied at feed time), then a JSON index, then a trailer:
 *
 *   "IGINPUT1" + 8 zero bytes | image bytes, back to back | index JSON | uint64 LE index length + "IGINDEX1"
 *
 * The index (zod: InputIndexSchema) names each image with its identity (size and mtime, and its
 * sha256 when known), offset and crc32, so a partial selection reads the images it needs and a
 * changed image misses. A file whose length, trailer or index does not add up (truncated on disk)
 * is reported damaged and rebuilt, never read; an image whose crc32 does not match is decoded
 * again. Files are written under a temporary name and renamed (InputCacheWriter), not fsynced:
 * what a crash could leave (a short file, zeroed blocks) is caught by those checks and rebuilt,
 * while an fsync would hold every cold evaluation until its whole file reached the disk (196 MB
 * for val-1300-227: 0.23 s here, 2-3% of a cold run; far more for 50,000 images on a board's eMMC).
 */
import { closeSync, openSync, readSync, renameSync, rmSync, writeSync, fstatSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import zlib from 'node:zlib';
import { z } from 'zod';
import { cacheDir } from '../models/assets.js';
import type { ImageIdentity } from './input-key.js';

const MAGIC = Buffer.from('IGINPUT1');
const TRAILER = Buffer.from('IGINDEX1');
export const HEADER_BYTES = 16;
const TRAILER_BYTES = 16;

export const InputEntrySchema = z.object({
  name: z.string(),
  size: z.number().int().nonnegative(),
  mtimeNs: z.string().regex(/^\d+$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).optional(),
  /** From the start of the image bytes (after the 16-byte header). */
  offset: z.number().int().nonnegative(),
  crc32: z.number().int().nonnegative(),
});
export type InputEntry = z.output<typeof InputEntrySchema>;

export const InputIndexSchema = z.object({
  format: z.literal(1),
  key: z.string(),
  datasetDir: z.string(),
  /** The spec fields and code versions the bytes depend on (input-key.ts cachedSpec). */
  spec: z.record(z.string(), z.unknown()),
  /** The rule in words, for `infergate cache ls`. */
  rule: z.string(),
  bytesPerImage: z.number().int().positive(),
  dataBytes: z.number().int().nonnegative(),
  createdAt: z.string(),
  entries: z.array(InputEntrySchema),
});
export type InputIndex = z.output<typeof InputIndexSchema>;

export function inputsRoot(root = cacheDir()): string {
  return join(root, 'inputs');
}

export function inputCacheFile(key: string, root = cacheDir()): string {
  return join(inputsRoot(root), `${key}.pic`);
}

// zlib.crc32 arrived in Node 20.15; older 20.x get the table version.
const TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
export const crc32: (data: Uint8Array) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (data) => (zlib as unknown as { crc32: (d: Uint8Array) => number }).crc32(data)
    : (data) => {
        let c = 0xffffffff;
        for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
        return (c ^ 0xffffffff) >>> 0;
      };

/** The index of a cache file, or why the file cannot be trusted. Reads only the trailer and the index. */
export function readIndex(fd: number): { index: InputIndex } | { damaged: string } {
  const size = fstatSync(fd).size;
  if (size < HEADER_BYTES + TRAILER_BYTES) return { damaged: `${size} bytes, shorter than a header and trailer` };
  const head = Buffer.alloc(HEADER_BYTES);
  readSync(fd, head, 0, HEADER_BYTES, 0);
  if (!head.subarray(0, 8).equals(MAGIC)) return { damaged: 'not an infergate input cache file' };
  const tail = Buffer.alloc(TRAILER_BYTES);
  readSync(fd, tail, 0, TRAILER_BYTES, size - TRAILER_BYTES);
  if (!tail.subarray(8).equals(TRAILER)) return { damaged: 'its trailer is missing (truncated or not finished)' };
  const indexBytes = Number(tail.readBigUInt64LE(0));
  if (indexBytes > size - HEADER_BYTES - TRAILER_BYTES) return { damaged: 'its index length runs past the start of the file' };
  const text = Buffer.alloc(indexBytes);
  readSync(fd, text, 0, indexBytes, size - TRAILER_BYTES - indexBytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.toString('utf8'));
  } catch {
    return { damaged: 'its index is not JSON' };
  }
  const index = InputIndexSchema.safeParse(parsed);
  if (!index.success) return { damaged: `its index does not match the schema (${index.error.issues[0]?.path.join('.')}: ${index.error.issues[0]?.message})` };
  const { dataBytes, bytesPerImage, entries } = index.data;
  if (HEADER_BYTES + dataBytes + indexBytes + TRAILER_BYTES !== size) return { damaged: `${size} bytes on disk, the index accounts for ${HEADER_BYTES + dataBytes + indexBytes + TRAILER_BYTES}` };
  if (entries.some((e) => e.offset + bytesPerImage > dataBytes)) return { damaged: 'an index entry points past the image bytes' };
  return { index: index.data };
}

/** An open cache file: look images up by name and read their bytes (crc32-checked). */
export class InputCacheReader {
  private readonly byName: Map<string, InputEntry>;

  private constructor(
    private readonly fd: number,
    readonly file: string,
    readonly index: InputIndex,
  ) {
    this.byName = new Map(index.entries.map((e) => [e.name, e]));
  }

  /** undefined when there is no file; `damaged` says why an existing file is not used. */
  static open(file: string, key: string): { reader?: InputCacheReader; damaged?: string } {
    let fd: number;
    try {
      fd = openSync(file, 'r');
    } catch {
      return {};
    }
    try {
      const r = readIndex(fd);
      if ('damaged' in r) throw new Error(r.damaged);
      if (r.index.key !== key) throw new Error(`its index names the key ${r.index.key}, not ${key}`);
      return { reader: new InputCacheReader(fd, file, r.index) };
    } catch (err) {
      closeSync(fd);
      return { damaged: (err as Error).message };
    }
  }

  lookup(name: string): InputEntry | undefined {
    return this.byName.get(name);
  }

  /** The entry's bytes, or undefined when they do not match their crc32. */
  read(entry: InputEntry, into = new Uint8Array(this.index.bytesPerImage)): Uint8Array | undefined {
    const n = readSync(this.fd, into, 0, this.index.bytesPerImage, HEADER_BYTES + entry.offset);
    if (n !== this.index.bytesPerImage || crc32(into) !== entry.crc32) return undefined;
    return into;
  }

  close(): void {
    closeSync(this.fd);
  }
}

export interface WriterInfo {
  key: string;
  datasetDir: string;
  spec: Record<string, unknown>;
  rule: string;
  bytesPerImage: number;
}

/**
 * Writes a cache file while the evaluation scores: append() each image as it is fed, commit()
 * carries over the entries of the old file this run did not touch, writes the index and renames.
 * Any failure (a full disk) throws; abort() then removes the temporary file.
 */
export class InputCacheWriter {
  private readonly tmp: string;
  private fd: number | undefined;
  private offset = 0;
  private readonly entries: InputEntry[] = [];
  private readonly written = new Set<string>();

  constructor(
    readonly file: string,
    private readonly info: WriterInfo,
  ) {
    this.tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`;
    mkdirSync(dirname(file), { recursive: true });
    this.fd = openSync(this.tmp, 'w');
    try {
      writeSync(this.fd, Buffer.concat([MAGIC, Buffer.alloc(8)]));
    } catch (err) {
      this.abort();
      throw err;
    }
  }

  has(name: string): boolean {
    return this.written.has(name);
  }

  append(name: string, id: ImageIdentity, bytes: Uint8Array): void {
    if (bytes.length !== this.info.bytesPerImage) throw new Error(`input cache: ${name} has ${bytes.length} bytes, expected ${this.info.bytesPerImage}`);
    if (this.written.has(name)) return;
    writeAll(this.fd!, bytes);
    this.entries.push({ name, size: id.size, mtimeNs: id.mtimeNs, ...(id.sha256 ? { sha256: id.sha256 } : {}), offset: this.offset, crc32: crc32(bytes) });
    this.written.add(name);
    this.offset += bytes.length;
  }

  /** Keeps `old`'s entries this run did not write (other selections of the same dataset), then renames into place. */
  commit(old?: InputCacheReader): number {
    if (old) {
      const buf = new Uint8Array(this.info.bytesPerImage);
      for (const e of old.index.entries) {
        if (this.written.has(e.name)) continue;
        const bytes = old.read(e, buf);
        if (bytes) this.append(e.name, e, bytes);
      }
    }
    const index: InputIndex = { format: 1, ...this.info, dataBytes: this.offset, createdAt: new Date().toISOString(), entries: this.entries };
    const text = Buffer.from(JSON.stringify(index));
    const trailer = Buffer.alloc(TRAILER_BYTES);
    trailer.writeBigUInt64LE(BigInt(text.length), 0);
    TRAILER.copy(trailer, 8);
    writeAll(this.fd!, Buffer.concat([text, trailer]));
    // No fsync: see the header (a torn file is detected and rebuilt, never read).
    closeSync(this.fd!);
    this.fd = undefined;
    renameSync(this.tmp, this.file);
    return HEADER_BYTES + this.offset + text.length + TRAILER_BYTES;
  }

  abort(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = undefined;
    }
    rmSync(this.tmp, { force: true });
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done);
}
