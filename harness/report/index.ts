/**
 * The one registry of output formats (hyperfine's exporters): every format is an Exporter over
 * the same RunResults. `run` writes RUN_EXPORTERS into the run directory; `compare` writes
 * COMPARISON_EXPORTERS, named apart from the run's own files.
 */
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
  summaryExporter,
  junitExporter,
];
