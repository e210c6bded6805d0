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
