/** `infergate cache ls|prune`: the artifact and preprocessed-input caches, listed and trimmed least recently used first. */
import type { z } from 'zod';
import { listCache, parseSize, pruneCache, type CacheEntryInfo } from '../convert/inventory.js';
import { EXIT, UserError } from '../errors.js';
import { cacheDir } from '../models/assets.js';
import { JSON_SCHEMA_VERSION, type CacheLsJson, type CachePruneJson } from './json-output.js';
import { displayPath, printJson } from './output.js';

export const DEFAULT_MAX_SIZE = '20G';

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i ? v.toFixed(1) : v} ${units[i]}`;
}

function table(entries: CacheEntryInfo[]): string {
  return entries.map((e) => `${e.lastUsed.slice(0, 19).replace('T', ' ')}  ${formatBytes(e.bytes).padStart(10)}  ${e.kind.padEnd(8)} ${e.key}  ${e.description}`).join('\n');
}

const byLastUse = (a: CacheEntryInfo, b: CacheEntryInfo) => a.lastUsed.localeCompare(b.lastUsed) || a.key.localeCompare(b.key);

export async function cacheLsCommand(opts: { json?: boolean }): Promise<number> {
  const root = cacheDir();
  const entries = listCache(root).sort(byLastUse);
  const bytes = entries.reduce((s, e) => s + e.bytes, 0);
  if (opts.json) {
    printJson({ schemaVersion: JSON_SCHEMA_VERSION, root, bytes, entries } satisfies z.infer<typeof CacheLsJson>);
    return EXIT.ok;
  }
  process.stdout.write(`${displayPath(root)}: ${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}, ${formatBytes(bytes)} (least recently used first)\n`);
  if (entries.length) process.stdout.write(table(entries) + '\n');
  return EXIT.ok;
}

export async function cachePruneCommand(opts: { maxSize?: string; dryRun?: boolean; json?: boolean }): Promise<number> {
  const text = opts.maxSize ?? DEFAULT_MAX_SIZE;
  const maxBytes = parseSize(text);
  if (maxBytes === undefined) throw new UserError(`--max-size ${text}: expected a size such as 20G, 500M or 0 (K, M, G, T are powers of 1024)`);
  const root = cacheDir();
  const before = listCache(root).filter((e) => e.kind !== 'temp').reduce((s, e) => s + e.bytes, 0);
  const { removed, kept } = pruneCache(maxBytes, root, opts.dryRun === true);
  const after = kept.reduce((s, e) => s + e.bytes, 0);
  if (opts.json) {
    printJson({ schemaVersion: JSON_SCHEMA_VERSION, root, maxBytes, dryRun: opts.dryRun === true, removed, bytesBefore: before, bytesAfter: after, kept: kept.length } satisfies z.infer<typeof CachePruneJson>);
    return EXIT.ok;
  }
  const verb = opts.dryRun ? 'would remove' : 'removed';
  process.stdout.write(`${displayPath(root)}: ${verb} ${removed.length} entr${removed.length === 1 ? 'y' : 'ies'}; ${formatBytes(before)} -> ${formatBytes(after)} (max ${text})\n`);
  if (removed.length) process.stdout.write(table(removed) + '\n');
  return EXIT.ok;
}
