/**
 * Where asset files are looked for, in order: every folder in INFERGATE_ASSETS (a path list),
 * then ../shared/assets beside the checkout, then the user's cache. A missing file is a user
 * error that says where we looked and how to get it.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: two levels above this file in both harness/ and dist/harness/. */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error('infergate: cannot find package.json above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
  return dir;
}

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
