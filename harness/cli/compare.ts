/** `infergate compare`: a finished run against baselines; writes the comparison files beside the run. */
import { defaultBaselineDir, gateRun } from '../baseline/gate.js';
import { EXIT } from '../errors.js';
import { COMPARISON_EXPORTERS } from '../report/index.js';
import { readResults } from '../report/results-file.js';
import { terminalExporter } from '../report/terminal.js';
import { writeReports } from '../report/write.js';
import { gateOptionsFromFlags, type GateFlags } from './gate-options.js';
import { checkWritableFolder } from './checks.js';
import { appendStepSummary, displayPath } from './output.js';

export interface CompareCommandOptions extends GateFlags {
  baseline?: string;
  out?: string;
  json?: boolean;
}

export async function compareCommand(resultsPath: string, opts: CompareCommandOptions): Promise<number> {
  const loaded = readResults(resultsPath);
  const baselinePath = opts.baseline ?? defaultBaselineDir();
  const gate = gateRun(loaded, baselinePath, gateOptionsFromFlags(opts));
  const results = { ...loaded.results, gate };
  const outDir = opts.out ?? loaded.dir;
  checkWritableFolder(opts.out ? '--out' : 'the run folder', outDir, 'the comparison files are written there');
  const files = writeReports(outDir, results, COMPARISON_EXPORTERS);
  appendStepSummary(results);
  if (opts.json) process.stdout.write(JSON.stringify(gate, null, 2) + '\n');
  else process.stdout.write(terminalExporter(process.stdout).render(results));
  process.stderr.write(`infergate: compared ${displayPath(loaded.file)} with ${displayPath(baselinePath)}; wrote ${displayPath(outDir)}/ (${files.join(', ')})\n`);
  return gate.exitCode ? EXIT.regression : EXIT.ok;
}

