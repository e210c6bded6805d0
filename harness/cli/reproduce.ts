/** `infergate reproduce`: a published table with measured figures beside it (optionally running its suite first). */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultBaselineDir } from '../baseline/gate.js';
import { findResults, findTable, reproduce } from '../baseline/reproduce.js';
import { EXIT, UserError } from '../errors.js';
import { packageRoot } from '../util/package-root.js';
import type { LoadedResults } from '../core/index.js';
import { readResults } from '../report/results-file.js';
import { renderReproductionMarkdown, renderReproductionText, reproductionFootnotes } from '../report/reproduction.js';
import { writeAtomic } from '../util/files.js';
import { liveProgress } from '../report/progress.js';
import { runSuite } from '../run/run-suite.js';
import { checkSuite } from '../suite/expand.js';
import { loadSuiteFile } from '../suite/load.js';
import { checkEnvironment, checkWritableFile } from './checks.js';
import { JSON_SCHEMA_VERSION, type ReproduceJson } from './json-output.js';
import { displayPath, printJson } from './output.js';
import type { z } from 'zod';
import type { Reproduction } from '../baseline/reproduce.js';

function reproductionJson(rep: Reproduction, table: string, ranSuite: string | undefined): z.infer<typeof ReproduceJson> {
  const p = rep.table.baseline.provenance;
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    table,
    title: rep.title,
    source: p.type === 'published' ? `${p.document}, ${p.table}` : 'measured baseline',
    rows: rep.rows,
    runs: rep.runs,
    footnotes: reproductionFootnotes(rep),
    ...(ranSuite ? { ranSuite } : {}),
  };
}

export interface ReproduceOptions {
  results?: string[];
  reports?: string;
  run?: boolean;
  simulated?: boolean;
  markdown?: boolean;
  out?: string;
  quiet?: boolean;
  json?: boolean;
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
  let ranSuite: string | undefined;
  if (opts.run) {
    const spec = table.baseline.table;
    const rel = opts.simulated ? spec?.simulatedSuite : spec?.suite;
    if (!rel) throw new UserError(`${table.file} table.${opts.simulated ? 'simulatedSuite' : 'suite'}: the table names no suite to run${opts.simulated ? '' : ' (try --simulated)'}.`);
    const suiteFile = resolve(packageRoot(), rel);
    checkEnvironment();
    const loaded = loadSuiteFile(suiteFile, checkSuite);
    const live = opts.quiet ? undefined : liveProgress(process.stderr);
    const outcome = await runSuite(loaded, { log: live?.log, live, progressStream: opts.quiet ? undefined : process.stderr });
    process.stderr.write(`infergate: ran ${displayPath(suiteFile)} -> ${displayPath(outcome.runDir)}/\n`);
    if (outcome.exitCode !== EXIT.ok) return outcome.exitCode;
    ranSuite = outcome.runDir;
    candidates.push(readResults(join(outcome.runDir, 'results.json')));
  }
  for (const p of opts.results ?? []) candidates.push(...resultsFrom(p));
  if (!opts.results?.length) candidates.push(...findResults(resolve(opts.reports ?? 'reports')));
  const rep = reproduce(table, candidates, { ran: !!opts.run });
  const text = opts.markdown ? renderReproductionMarkdown(rep) : renderReproductionText(rep);
  if (opts.out) {
    writeAtomic(resolve(opts.out), opts.out.endsWith('.md') ? renderReproductionMarkdown(rep) : text);
    process.stderr.write(`infergate: wrote ${displayPath(resolve(opts.out))}\n`);
  }
  if (opts.json) printJson(reproductionJson(rep, tableName, ranSuite));
  else process.stdout.write(text);
  return EXIT.ok;
}

