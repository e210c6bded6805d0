/** Writes the run directory: every file atomically (temp + rename), so nothing half-written. */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Exporter } from './exporter.js';
import type { RunResults } from './results.js';

export function writeAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

export function writeReports(runDir: string, results: RunResults, exporters: readonly Exporter[]): string[] {
  const written: string[] = [];
  for (const e of exporters) {
    if (!e.fileName) continue;
    writeAtomic(join(runDir, e.fileName), e.render(results));
    written.push(e.fileName);
  }
  return written;
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
