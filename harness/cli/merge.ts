/** `infergate merge`: several runs (boards, shards) into one results.json and the run's usual reports. */
import { resolve } from 'node:path';
import { EXIT, UserError } from '../errors.js';
import { mergeResults } from '../history/merge.js';
import { RUN_EXPORTERS } from '../report/index.js';
import { readResults } from '../report/results-file.js';
import { terminalExporter } from '../report/terminal.js';
import { exportContext } from '../report/samples.js';
import { writeReports } from '../report/write.js';
import { checkWritableFolder } from './checks.js';
import { appendStepSummary, displayPath } from './output.js';

export interface MergeCommandOptions {
  out: string;
  json?: boolean;
}

export async function mergeCommand(paths: string[], opts: MergeCommandOptions): Promise<number> {
  checkWritableFolder('--out', opts.out, 'the merged results.json and reports are written there');
  const inputs = paths.map((p) => readResults(p));
  const outDir = resolve(opts.out);
  const clash = inputs.find((i) => resolve(i.dir) === outDir);
  if (clash) throw new UserError(`--out ${opts.out}: it is one of the runs being merged (${displayPath(clash.file)}); its results.json would be overwritten. Give a new folder.`);
  const { results, notes } = mergeResults(inputs, outDir);
  const files = await writeReports(outDir, results, RUN_EXPORTERS, exportContext(outDir, results));
  appendStepSummary(results);
  for (const n of notes) process.stderr.write(`infergate: merge: ${n}\n`);
  if (opts.json) process.stdout.write(JSON.stringify(results, null, 2) + '\n');
  else process.stdout.write(terminalExporter(process.stdout).render(results));
  const classes = [...new Set(results.cases.map((c) => c.machineClass))];
  process.stderr.write(`infergate: merged ${inputs.length} results files (${results.cases.length} cases on ${classes.join(', ')}) into ${displayPath(outDir)}/ (${files.join(', ')})\n`);
  return EXIT.ok;
}
