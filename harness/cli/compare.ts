
import { gateRun } from '../baseline/gate.js';
import { EXIT } from '../errors.js';
import { csvExporter } from '../report/csv.js';
import type { Exporter } from '../report/exporter.js';
import { jsonExporter } from '../report/json.js';
import { junitExporter } from '../report/junit.js';
import { markdownExporter } from '../report/markdown.js';
import { readResults } from '../report/results.js';
import { summaryExporter } from '../report/summary.js';
import { terminalExporter } from '../report/terminal.js';
import { writeReports } from '../report/write.js';
import { defaultBaselineDir } from '../baseline/gate.js';
import { gateOptionsFromFlags, type GateFlags } from './gate-options.js';
import { appendStepSummary, displayPath } from './output.js';

export interface CompareCommandOptions extends GateFlags {
  baseline?: string;
  out?: string;
  json?: boolean;
}

/** The comparison's files, named apart from the run's own results and reports. */
export const COMPARISON_EXPORTERS: readonly Exporter[] = [
  { ...jsonExporter, fileName: 'comparison.json' },
  { ...csvExporter, fileName: 'comparison.csv' },
  { ...markdownExporter, fileName: 'comparison.md' },
  summaryExporter,
  junitExporter,
];

export async function compareCommand(resultsPath: string, opts: CompareCommandOptions): Promise<number> {
  const loaded = readResults(resultsPath);
  const baselinePath = opts.baseline ?? defaultBaselineDir();
  const gate = gateRun(loaded, baselinePath, gateOptionsFromFlags(opts));
  const results = { ...loaded.results, gate };
  const outDir = opts.out ?? loaded.dir;
  const files = writeReports(outDir, results, COMPARISON_EXPORTERS);
  appendStepSummary(results);
  if (opts.json) process.stdout.write(JSON.stringify(gate, null, 2) + '\n');
  else process.stdout.write(terminalExporter(process.stdout).render(results));
  process.stderr.write(`infergate: compared ${displayPath(loaded.file)} with ${displayPath(baselinePath)}; wrote ${displayPath(outDir)}/ (${files.join(', ')})\n`);
  return gate.exitCode ? EXIT.regression : EXIT.ok;
}

