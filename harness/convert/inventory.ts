/**
 * What the cache folder holds, for `infergate cache ls|prune`: artifact entries (artifacts/<key>/)
 * and preprocessed-input files (inputs/<key>.pic), each with its size and when it was last used
 * (an entry's mtime: a run touches the entries it reads), and temporary files left by a process
 * that died (kill -9 mid-write). Pruning removes the least recently used entries first until the
 * total fits, and always removes orphaned temporary files.
 */
import { closeSync, existsSync, lstatSync, openSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { inputsRoot } from '../accuracy/input-cache.js';
import { readIndex } from '../accuracy/input-cache.js';
import { cacheDir } from '../models/assets.js';

export interface CacheEntryInfo {
  kind: 'artifact' | 'inputs' | 'temp';
  key: string;
  path: string;
  bytes: number;
  lastUsed: string;
  description: string;
}

function sizeOf(path: string): number {
  const st = lstatSync(path);
  if (!st.isDirectory()) return st.size;
  return readdirSync(path).reduce((sum, name) => sum + sizeOf(join(path, name)), 0);
}

/** A temporary name carries the writer's pid (name.<pid>.<...>.tmp): orphaned when that process is gone. */
function orphaned(name: string): boolean {
  const m = /\.(\d+)\.[^.]+\.tmp$/.exec(name);
  if (!m) return true;
  try {
    process.kill(Number(m[1]), 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function describeArtifact(dir: string): string {
  try {
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { parts?: { converter?: string }; precision?: string; state?: string; provenance?: { source?: string } };
    return `${meta.parts?.converter ?? '?'} ${meta.precision ?? '?'} (${meta.state ?? '?'}) of ${meta.provenance?.source ?? '?'}`;
  } catch {
    return 'no readable meta.json (rebuilt when next needed)';
  }
}

function describeInputs(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const r = readIndex(fd);
    if ('damaged' in r) return `damaged: ${r.damaged} (rebuilt when next used)`;
    return `${r.index.entries.length} images of ${r.index.datasetDir}: ${r.index.rule}`;
  } finally {
    closeSync(fd);
  }
}

export function listCache(root = cacheDir()): CacheEntryInfo[] {
  const found: CacheEntryInfo[] = [];
  const add = (kind: CacheEntryInfo['kind'], key: string, path: string, description: string) => {
    found.push({ kind, key, path, bytes: sizeOf(path), lastUsed: statSync(path).mtime.toISOString(), description });
  };
  const artifacts = join(root, 'artifacts');
  if (existsSync(artifacts)) {
    for (const name of readdirSync(artifacts).sort()) {
      const path = join(artifacts, name);
      if (name.endsWith('.tmp')) {
        if (orphaned(name)) add('temp', name, path, 'left by a conversion that did not finish');
      } else add('artifact', name, path, describeArtifact(path));
    }
  }
  const inputs = inputsRoot(root);
  if (existsSync(inputs)) {
    for (const name of readdirSync(inputs).sort()) {
      const path = join(inputs, name);
      if (name.endsWith('.tmp')) {
        if (orphaned(name)) add('temp', name, path, 'left by an evaluation that did not finish');
      } else if (name.endsWith('.pic')) add('inputs', name.slice(0, -'.pic'.length), path, describeInputs(path));
    }
  }
  return found;
}

/** Removes orphaned temporary files, then the least recently used entries until the total is at most maxBytes. */
export function pruneCache(maxBytes: number, root = cacheDir(), dryRun = false): { removed: CacheEntryInfo[]; kept: CacheEntryInfo[] } {
  const all = listCache(root);
  const removed = all.filter((e) => e.kind === 'temp');
  const entries = all.filter((e) => e.kind !== 'temp').sort((a, b) => a.lastUsed.localeCompare(b.lastUsed) || a.key.localeCompare(b.key));
  let total = entries.reduce((s, e) => s + e.bytes, 0);
  while (entries.length && total > maxBytes) {
    const e = entries.shift()!;
    removed.push(e);
    total -= e.bytes;
  }
  if (!dryRun) for (const e of removed) rmSync(e.path, { recursive: true, force: true });
  return { removed, kept: entries };
}

/** "20G", "500M", "1.5T", "0" -> bytes (powers of 1024). */
export function parseSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?$/i.exec(text.trim());
  if (!m) return undefined;
  return Math.floor(Number(m[1]) * 1024 ** ' KMGT'.indexOf((m[2] || ' ').toUpperCase()));
}
