/** `infergate reproduce`: a published table with measured figures beside it (optionally running its suite first). */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultBaselineDir } from '../baseline/gate.js';
import { findResults, findTable, reproduce } from '../baseline/reproduce.js';
import { EXIT, UserError } from '../errors.js';
import { packageRoot } from '../util/package-root.js';
import type { LoadedResults } from '../core/index.js';
import { readResults } from '../report/results-file.js';
import { renderReproductionMarkdown, renderReproductionText } from '../report/reproduction.js';
import { writeAtomic } from '../util/files.js';
import { runSuite } from '../run/run-suite.js';
import { checkSuite } from '../suite/expand.js';
import { loadSuiteFile } from '../suite/load.js';
import { checkEnvironment, checkWritableFile } from './checks.js';
import { displayPath } from './output.js';

export interface ReproduceOptions {
  results?: string[];
  reports?: string;
  run?: boolean;
  simulated?: boolean;
  markdown?: boolean;
  out?: string;
  quiet?: boolean;
}

function resultsFrom(path: string): LoadedResults[] {
  if (existsSync(path) && statSync(path).isDirectory() && !existsSync(join(path, 'results.json'))) return findResults(path);
  return [readResults(path)];
}

export async function reproduceCommand(tableName: string, opts: ReproduceOptions): Promise<number> {
  if (opts.out) checkWritableFile('--out', opts.out, 'the table is written there');
  const dirs = [...new Set([defaultBaselineDir(), join(packageRoot(), 'baselines')])];
  const table = findTable(tableName, dirs);
  const candidates: LoadedResults[] = [];
  if (opts.run) {
    const spec = table.baseline.table;
    const rel = opts.simulated ? spec?.simulatedSuite : spec?.suite;
    if (!rel) throw new UserError(`${table.file} table.${opts.simulated ? 'simulatedSuite' : 'suite'}: the table names no suite to run${opts.simulated ? '' : ' (try --simulated)'}.`);
    const suiteFile = resolve(packageRoot(), rel);
    checkEnvironment();
    const loaded = loadSuiteFile(suiteFile, checkSuite);
    const log = opts.quiet ? undefined : (line: string) => process.stderr.write(line + '\n');
    const outcome = await runSuite(loaded, { log });
    process.stderr.write(`infergate: ran ${displayPath(suiteFile)} -> ${displayPath(outcome.runDir)}/\n`);
    if (outcome.exitCode !== EXIT.ok) return outcome.exitCode;
    candidates.push(readResults(join(outcome.runDir, 'results.json')));
  }
  for (const p of opts.results ?? []) candidates.push(...resultsFrom(p));
  if (!opts.results?.length) candidates.push(...findResults(resolve(opts.reports ?? 'reports')));
  const rep = reproduce(table, candidates);
  const text = opts.markdown ? renderReproductionMarkdown(rep) : renderReproductionText(rep);
  if (opts.out) {
    writeAtomic(resolve(opts.out), opts.out.endsWith('.md') ? renderReproductionMarkdown(rep) : text);
    process.stderr.write(`infergate: wrote ${displayPath(resolve(opts.out))}\n`);
  }
  process.stdout.write(text);
  return EXIT.ok;
}

