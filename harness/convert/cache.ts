/**
 * The artifact cache: converted models stored by content hash of (source model, converter id and
 * version, options, calibration set), under the cache dir (INFERGATE_CACHE or the user cache).
 * Each entry is a folder with the artifact, its build files and meta.json; a folder is written
 * under a temporary name and renamed into place, so an entry is complete or absent.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { cacheDir } from '../models/assets.js';
import { fileError, stableJson, writeAtomic } from '../util/files.js';

export interface CacheKeyParts {
  sourceSha256: string;
  converter: string;
  converterVersion: number;
  options: Record<string, unknown>;
  calibrationSha256?: string;
}

export interface ArtifactMeta {
  key: string;
  parts: CacheKeyParts;
  /** built: the artifact file exists; generated: build files only (the vendor SDK was missing). */
  state: 'built' | 'generated';
  /** Artifact file name inside the entry folder, when built. */
  artifact?: string;
  precision: string;
  inputs?: { name: string; shape: (number | string)[]; type: string }[];
  outputs?: { name: string; shape: (number | string)[]; type: string }[];
  provenance: { createdAt: string; source: string; tool?: string; log?: string };
  /** What the converter did (counts of converted nodes, calibration size...). */
  details?: Record<string, unknown>;
}

export function cacheKey(parts: CacheKeyParts): string {
  return createHash('sha256').update(stableJson(parts)).digest('hex').slice(0, 32);
}

export function artifactsRoot(): string {
  return join(cacheDir(), 'artifacts');
}

export function entryDir(key: string): string {
  return join(artifactsRoot(), key);
}

export function readMeta(key: string): ArtifactMeta | undefined {
  const file = join(entryDir(key), 'meta.json');
  if (!existsSync(file)) return undefined;
  try {
    const meta = JSON.parse(readFileSync(file, 'utf8')) as ArtifactMeta;
    markUsed(entryDir(key));
    return meta;
  } catch {
    return undefined; // a damaged entry is rebuilt
  }
}

/** The entry folder's mtime is when it was last used: `infergate cache prune` removes the least recently used first. */
function markUsed(dir: string): void {
  try {
    const now = new Date();
    utimesSync(dir, now, now);
  } catch {
    // a read-only cache still serves its entries
  }
}

/** Fills a fresh temporary folder with `fill`, then renames it to the entry (replacing a generated-only one). */
export async function commitEntry(key: string, fill: (dir: string) => Promise<ArtifactMeta>): Promise<ArtifactMeta> {
  const final = entryDir(key);
  const tmp = `${final}.${process.pid}.${Date.now()}.tmp`;
  mkdirSync(tmp, { recursive: true });
  try {
    const meta = await fill(tmp);
    writeAtomic(join(tmp, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
    if (existsSync(final)) rmSync(final, { recursive: true, force: true });
    renameSync(tmp, final);
    return meta;
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw fileError(err, final);
  }
}
