/**
 * File helpers every folder uses: atomic writes that leave nothing behind on failure, stable
 * (sorted-key) JSON, and one way to say why the disk refused a write.
 */
import { closeSync, createWriteStream, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { dirname } from 'node:path';
import { InfraError } from '../errors.js';

const CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EEXIST: 'a part of the path is a file, not a folder',
};

/** A write the disk refused, as one paragraph naming the path and the cause (exit 3); other errors pass through. */
export function fileError(err: unknown, path: string): unknown {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (!code || !CAUSES[code]) return err;
  return new InfraError(`${CAUSES[code]} while writing ${path} (${code}); whatever the run had finished is in its journal, and the reports written so far are kept.`);
}

function tempName(path: string): string {
  return `${path}.${process.pid}.tmp`;
}

/** Writes through a temporary name and renames it into place: readers see the whole file or none, and a failure leaves no temp file. */
export function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = tempName(path);
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw fileError(err, path);
  }
}

/** A file written as a stream (per-image predictions), renamed into place by commit(); abort() removes it. */
export class AtomicStream {
  private readonly tmp: string;
  private readonly stream: WriteStream;
  private failure?: unknown;

  constructor(readonly path: string) {
    this.tmp = tempName(path);
    try {
      mkdirSync(dirname(path), { recursive: true });
      closeSync(openSync(this.tmp, 'w'));
    } catch (err) {
      rmSync(this.tmp, { force: true });
      throw fileError(err, path);
    }
    this.stream = createWriteStream(this.tmp);
    this.stream.on('error', (err) => (this.failure ??= fileError(err, path)));
  }

  async write(text: string): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.stream.write(text)) await Promise.race([once(this.stream, 'drain'), once(this.stream, 'error')]);
    if (this.failure) throw this.failure;
  }

  async commit(): Promise<void> {
    this.stream.end();
    await once(this.stream, 'close');
    if (this.failure) {
      rmSync(this.tmp, { force: true });
      throw this.failure;
    }
    try {
      const fd = openSync(this.tmp, 'r');
      fsyncSync(fd);
      closeSync(fd);
      renameSync(this.tmp, this.path);
    } catch (err) {
      rmSync(this.tmp, { force: true });
      throw fileError(err, this.path);
    }
  }

  async abort(): Promise<void> {
    if (!this.stream.closed) {
      this.stream.destroy();
      await once(this.stream, 'close').catch(() => undefined);
    }
    rmSync(this.tmp, { force: true });
  }
}

/**
 * JSON with object keys sorted at every level (undefined values dropped): identical content gives
 * identical bytes, for baselines reviewed in git, golden files and cache keys.
 */
export function stableJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v as Record<string, unknown>)
          .sort()
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .map((k) => [k, sort((v as Record<string, unknown>)[k])]),
      );
    }
    return v;
  };
  return JSON.stringify(sort(value), null, 2) + '\n';
}
