/** `infergate compare`: a finished run against baselines; writes the comparison files beside the run. */
import { defaultBaselineDir, gateRun } from '../baseline/gate.js';
import { EXIT } from '../errors.js';
import { COMPARISON_EXPORTERS } from '../report/index.js';
import { readResults } from '../report/results-file.js';
import { exportContext } from '../report/samples.js';
import { terminalExporter } from '../report/terminal.js';
import { writeExports, writeReports } from '../report/write.js';
import { COMPARISON_NAMES, exportRequests, parseExports } from './exports.js';
import { gateOptionsFromFlags, type GateFlags } from './gate-options.js';
import { checkWritableFolder } from './checks.js';
import { comparisonJson } from './json-output.js';
import { appendStepSummary, displayPath, printJson } from './output.js';

export interface CompareCommandOptions extends GateFlags {
  baseline?: string;
  out?: string;
  json?: boolean;
  export?: string[];
}

export async function compareCommand(resultsPath: string, opts: CompareCommandOptions): Promise<number> {
  const exports = parseExports(opts.export);
  const loaded = readResults(resultsPath);
  const baselinePath = opts.baseline ?? defaultBaselineDir();
  const gate = gateRun(loaded, baselinePath, gateOptionsFromFlags(opts));
  const results = { ...loaded.results, gate };
  const outDir = opts.out ?? loaded.dir;
  checkWritableFolder(opts.out ? '--out' : 'the run folder', outDir, 'the comparison files are written there');
  const context = exportContext(loaded.dir, results);
  const files = await writeReports(outDir, results, COMPARISON_EXPORTERS, context);
  const exported = await writeExports(outDir, results, exportRequests(exports, outDir, COMPARISON_NAMES), context);
  appendStepSummary(results);
  if (opts.json) printJson(comparisonJson(loaded.file, baselinePath, gate));
  else process.stdout.write(terminalExporter(process.stdout).render(results));
  process.stderr.write(`infergate: compared ${displayPath(loaded.file)} with ${displayPath(baselinePath)}; wrote ${displayPath(outDir)}/ (${files.join(', ')})${exported.length ? `; exported ${exported.map(displayPath).join(', ')}` : ''}\n`);
  return gate.exitCode ? EXIT.regression : EXIT.ok;
}
