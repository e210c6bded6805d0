/**
 * Where each image's preprocessed bytes come from during an evaluation: the preprocessed-input
 * cache when it holds the image unchanged, else the preprocessing pool. Bytes decoded this run
 * are written to a new cache file as they are fed (no extra pass), which replaces the old one
 * when the evaluation finishes; a full or read-only disk turns the cache off for the run with a
 * warning and never fails it.
 */
import { statSync, utimesSync } from 'node:fs';
import type { AccuracySummary } from '../core/index.js';
import type { PreprocessSpec } from '../models/registry.js';
import type { DatasetItem } from './dataset.js';
import { InputCacheReader, InputCacheWriter, inputCacheFile, type InputEntry } from './input-cache.js';
import { cachedSpec, entryKey, imageIdentity, sameImage, selectionKey, storedSpec, type ImageIdentity } from './input-key.js';
import { PrepPool, type Prepared } from './prep-pool.js';
import { tensorLength } from './preprocess.js';

export type InputCacheSummary = NonNullable<AccuracySummary['inputCache']>;

export interface CacheSettings {
  enabled: boolean;
  /** Identify images by content (sha256) instead of size and mtime. */
  verify?: boolean;
  /** The cache folder (default: INFERGATE_CACHE or the user cache). */
  root?: string;
}

export interface SourceOptions {
  items: DatasetItem[];
  imagesDir: string;
  spec: PreprocessSpec;
  rule: string;
  cache: CacheSettings;
  poolSize: number;
  /** Images each pool thread works on at once. */
  perThread?: number;
}

export class InputSource {
  private writer?: InputCacheWriter;
  private hits = 0;
  private decoded = 0;
  private readBytes = 0;
  private readonly warnings: string[] = [];
  private readonly stored: PreprocessSpec;
  private readonly bytesPerImage: number;
  private pool?: PrepPool;
  private disabled = false;

  private constructor(
    private readonly o: SourceOptions,
    private readonly ids: (ImageIdentity | undefined)[],
    private readonly entries: (InputEntry | undefined)[],
    private readonly reader: InputCacheReader | undefined,
    private readonly file: string | undefined,
    private readonly key: string | undefined,
    damaged: string | undefined,
  ) {
    this.stored = storedSpec(o.spec);
    this.bytesPerImage = tensorLength(o.spec);
    if (damaged) this.warnings.push(`input cache file ${file} was damaged (${damaged}): not read, rebuilt from the images`);
  }

  static async open(o: SourceOptions): Promise<InputSource> {
    if (!o.cache.enabled) return new InputSource(o, [], [], undefined, undefined, undefined, undefined);
    const ids = await Promise.all(o.items.map((it) => imageIdentity(it.file, o.cache.verify === true)));
    const key = entryKey(o.imagesDir, o.spec);
    const file = inputCacheFile(key, o.cache.root);
    const opened = InputCacheReader.open(file, key);
    let { damaged } = opened;
    let usable = opened.reader;
    if (usable && usable.index.bytesPerImage !== tensorLength(o.spec)) {
      damaged = `its images have ${usable.index.bytesPerImage} bytes, the spec makes ${tensorLength(o.spec)}`;
      usable.close();
      usable = undefined;
    }
    const entries = o.items.map((it, i) => {
      const e = usable?.lookup(it.name);
      return e && ids[i] && sameImage(e, ids[i]!) ? e : undefined;
    });
    return new InputSource(o, ids, entries, usable, file, selectionKey(o.items.map((it) => it.name), ids, o.spec), damaged);
  }

  /** Whether any image must be decoded (the cache is off, cold or partial). */
  get decodes(): boolean {
    return !this.reader || this.entries.some((e) => !e);
  }

  /** The stored (uint8) bytes of item i: from the cache, or decoded by the pool. */
  get(i: number): Promise<Prepared> {
    const e = this.entries[i];
    if (e && this.reader) {
      const data = this.reader.read(e);
      if (data) {
        this.hits++;
        this.readBytes += data.length;
        return Promise.resolve({ data });
      }
      this.entries[i] = undefined;
      if (!this.warnings.some((w) => w.includes('crc32'))) this.warnings.push(`input cache file ${this.file}: an image's bytes did not match their crc32; decoded again and the file rebuilt`);
    }
    this.decoded++;
    this.pool ??= new PrepPool(this.stored, this.o.poolSize, this.o.perThread);
    return this.pool.prepare(this.o.items[i]!.file);
  }

  /** Item i was fed to the model with these bytes: a decoded image goes into the new cache file. */
  fed(i: number, bytes: Uint8Array): void {
    if (!this.file || this.entries[i] || this.disabled || !this.ids[i]) return;
    try {
      this.writer ??= new InputCacheWriter(this.file, { key: entryKey(this.o.imagesDir, this.o.spec), datasetDir: this.o.imagesDir, spec: cachedSpec(this.o.spec), rule: this.o.rule, bytesPerImage: this.bytesPerImage });
      this.writer.append(this.o.items[i]!.name, this.ids[i]!, bytes);
    } catch (err) {
      this.turnOff(err);
    }
  }

  private turnOff(err: unknown): void {
    this.writer?.abort();
    this.writer = undefined;
    this.disabled = true;
    const code = (err as NodeJS.ErrnoException).code;
    this.warnings.push(`input cache: could not write ${this.file} (${code ?? (err as Error).message}); the cache is off for this run, the scores are unaffected`);
  }

  /** Commits (ok) or drops the new cache file and says what the cache did. */
  async finish(ok: boolean): Promise<InputCacheSummary> {
    await this.pool?.close();
    let bytes = 0;
    let status: InputCacheSummary['status'] = 'miss';
    try {
      if (!ok) this.writer?.abort();
      else if (this.writer) {
        bytes = this.writer.commit(this.reader);
        status = 'filled';
      } else if (this.reader && !this.disabled && this.hits > 0) {
        // Every image came from the cache (an unreadable one, under onError: skip, is never cached).
        status = 'hit';
        bytes = statSync(this.reader.file).size;
        markUsed(this.reader.file);
      }
    } catch (err) {
      this.turnOff(err);
    } finally {
      this.reader?.close();
    }
    if (!this.o.cache.enabled) return { status: 'miss', bytes: 0, hits: 0, decoded: this.decoded, reason: 'dataset.cache: false' };
    return {
      status,
      bytes,
      hits: this.hits,
      decoded: this.decoded,
      readBytes: this.readBytes,
      file: this.file,
      key: this.key,
      ...(this.o.cache.verify ? { verified: true } : {}),
      ...(this.warnings.length ? { warnings: this.warnings } : {}),
    };
  }
}

/** The file's mtime is its last use: `infergate cache prune` removes the least recently used first. */
function markUsed(file: string): void {
  try {
    utimesSync(file, new Date(), new Date());
  } catch {
    // a read-only cache still serves its entries
  }
}
