/**
 * Where asset files are looked for, in order: every folder in INFERGATE_ASSETS (a path list),
 * then ../shared/assets beside the checkout, then the user's cache. A missing file is a user
 * error that says where we looked and how to get it.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { packageRoot } from '../util/package-root.js';

/** The user cache (artifacts, synthetic models, fetched assets): INFERGATE_CACHE or XDG. */
export function cacheDir(): string {
  if (process.env.INFERGATE_CACHE) return resolve(process.env.INFERGATE_CACHE);
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'infergate');
}

export function assetRoots(): string[] {
  const roots: string[] = [];
  for (const p of (process.env.INFERGATE_ASSETS ?? '').split(delimiter)) if (p.trim()) roots.push(resolve(p.trim()));
  roots.push(resolve(packageRoot(), '..', 'shared', 'assets'));
  roots.push(join(cacheDir(), 'assets'));
  return roots;
}

export function findAsset(relPath: string): string | undefined {
  for (const root of assetRoots()) {
    const p = join(root, relPath);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export function describeSearch(relPath: string): string {
  return assetRoots().map((r) => join(r, relPath)).join(', ');
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
