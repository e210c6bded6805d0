/** Writes a run's report files: one per exporter with a file name, each atomically. */
import { isAbsolute, join } from 'node:path';
import type { RunResults } from '../core/index.js';
import { writeAtomic } from '../util/files.js';
import type { ExportContext, Exporter } from './exporter.js';

export async function writeReports(outDir: string, results: RunResults, exporters: readonly Exporter[], context: ExportContext = {}): Promise<string[]> {
  const written: string[] = [];
  for (const e of exporters) {
    if (!e.fileName) continue;
    writeAtomic(join(outDir, e.fileName), await e.render(results, context));
    written.push(e.fileName);
  }
  return written;
}

/** One --export: a format's exporter and where it goes (relative paths are to the output folder). */
export interface ExportRequest {
  exporter: Exporter;
  path: string;
}

export async function writeExports(outDir: string, results: RunResults, requests: readonly ExportRequest[], context: ExportContext = {}): Promise<string[]> {
  const written: string[] = [];
  for (const r of requests) {
    const file = isAbsolute(r.path) ? r.path : join(outDir, r.path);
    writeAtomic(file, await r.exporter.render(results, context));
    written.push(file);
  }
  return written;
}
