/**
 * The one registry of output formats (hyperfine's exporters): every format is an Exporter over
 * the same RunResults. `run` writes RUN_EXPORTERS into the run directory; `compare` writes
 * COMPARISON_EXPORTERS, named apart from the run's own files; `--export FORMAT[=PATH]` picks
 * from EXPORT_FORMATS.
 */
import { bmfExporter } from './bmf.js';
import { csvExporter } from './csv.js';
import type { Exporter } from './exporter.js';
import { htmlExporter } from './html.js';
import { jsonExporter } from './json.js';
import { junitExporter } from './junit.js';
import { markdownExporter } from './markdown.js';
import { summaryExporter } from './summary.js';

export const RUN_EXPORTERS: readonly Exporter[] = [jsonExporter, csvExporter, markdownExporter, htmlExporter, summaryExporter, junitExporter];

export const COMPARISON_EXPORTERS: readonly Exporter[] = [
  { ...jsonExporter, fileName: 'comparison.json' },
  { ...csvExporter, fileName: 'comparison.csv' },
  { ...markdownExporter, fileName: 'comparison.md' },
  { ...htmlExporter, fileName: 'comparison.html' },
  summaryExporter,
  junitExporter,
];

/** The formats --export accepts, by the name a user types; each exporter's fileName is its default file. */
export const EXPORT_FORMATS = {
  json: jsonExporter,
  csv: csvExporter,
  md: markdownExporter,
  html: htmlExporter,
  junit: junitExporter,
  bmf: bmfExporter,
} as const satisfies Record<string, Exporter>;

export type ExportFormat = keyof typeof EXPORT_FORMATS;
