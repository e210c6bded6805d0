/** Writes a run's report files: one per exporter with a file name, each atomically. */
import { join } from 'node:path';
import type { RunResults } from '../core/index.js';
import { writeAtomic } from '../util/files.js';
import type { Exporter } from './exporter.js';

export function writeReports(runDir: string, results: RunResults, exporters: readonly Exporter[]): string[] {
  const written: string[] = [];
  for (const e of exporters) {
    if (!e.fileName) continue;
    writeAtomic(join(runDir, e.fileName), e.render(results));
    written.push(e.fileName);
  }
  return written;
}
