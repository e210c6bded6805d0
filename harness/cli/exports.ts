/** `--export FORMAT[=PATH]` (run and compare): which formats to write where, checked before any work. */
import { resolve } from 'node:path';
import { UserError } from '../errors.js';
import { EXPORT_FORMATS, type ExportFormat } from '../report/index.js';
import type { ExportRequest } from '../report/write.js';

export const EXPORT_HELP = `FORMAT[=PATH]: write another format (${Object.keys(EXPORT_FORMATS).join(', ')}); PATH defaults to the format's file in the output folder (bmf: results.bmf.json); repeatable`;

/** Parsed against the current folder; a missing PATH is resolved later, against the output folder. */
export function parseExports(specs: readonly string[] | undefined): { format: ExportFormat; path?: string }[] {
  return (specs ?? []).map((spec) => {
    const at = spec.indexOf('=');
    const format = (at < 0 ? spec : spec.slice(0, at)).trim();
    const path = at < 0 ? undefined : spec.slice(at + 1).trim();
    if (!(format in EXPORT_FORMATS)) throw new UserError(`--export ${spec}: unknown format '${format}' (known: ${Object.keys(EXPORT_FORMATS).join(', ')}).`);
    if (path === '') throw new UserError(`--export ${spec}: give a file after '=', or leave '=' out for the default ${EXPORT_FORMATS[format as ExportFormat].fileName}.`);
    return { format: format as ExportFormat, ...(path ? { path: resolve(path) } : {}) };
  });
}

/** `names` overrides the default file of a format (compare's comparison.* never overwrite the run's own files). */
export function exportRequests(parsed: readonly { format: ExportFormat; path?: string }[], outDir: string, names: Partial<Record<ExportFormat, string>> = {}): ExportRequest[] {
  return parsed.map((p) => ({ exporter: EXPORT_FORMATS[p.format], path: p.path ?? resolve(outDir, names[p.format] ?? EXPORT_FORMATS[p.format].fileName!) }));
}

export const COMPARISON_NAMES: Partial<Record<ExportFormat, string>> = { json: 'comparison.json', csv: 'comparison.csv', md: 'comparison.md', html: 'comparison.html', bmf: 'comparison.bmf.json' };
