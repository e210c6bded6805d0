/** `infergate baseline update`: a measured baseline written from a run, refusing what must never become one. */
import { resolve } from 'node:path';
import { readPerImage } from '../accuracy/per-image.js';
import { METRIC_IDS, type MetricId } from '../core/index.js';
import { defaultBaselinePath, updateBaseline } from '../baseline/update.js';
import { EXIT, UserError } from '../errors.js';
import { readResults } from '../report/results-file.js';
import { selectHistoryRuns } from '../history/select.js';
import type { LoadedResults } from '../core/index.js';
import { checkWritableFile } from './checks.js';
import type { z } from 'zod';
import { JSON_SCHEMA_VERSION, type BaselineUpdateJson } from './json-output.js';
import { displayPath, printJson } from './output.js';

export interface BaselineUpdateOptions {
  fromHistory?: string;
  last?: string;
  suite?: string;
  to?: string;
  metrics?: string;
  acceptNoisy?: boolean;
  json?: boolean;
}

export async function baselineUpdateCommand(resultsPaths: string[], opts: BaselineUpdateOptions): Promise<number> {
  const runs = selectRuns(resultsPaths, opts);
  const loaded = runs[runs.length - 1]!;
  let metrics: MetricId[] = [...METRIC_IDS];
  if (opts.metrics) {
    metrics = opts.metrics.split(',').map((m) => m.trim()) as MetricId[];
    const bad = metrics.filter((m) => !METRIC_IDS.includes(m));
    if (bad.length) throw new UserError(`--metrics ${opts.metrics}: unknown metric ${bad.join(', ')} (known: ${METRIC_IDS.join(', ')}).`);
  }
  const to = resolve(opts.to ?? defaultBaselinePath(loaded, process.cwd()));
  checkWritableFile(opts.to ? '--to' : 'the baseline file', to, 'the measured baseline is written there');
  const outcome = updateBaseline(runs, to, readPerImage, { metrics, acceptNoisy: opts.acceptNoisy });
  for (const r of outcome.refused) process.stderr.write(`infergate: refused ${r.caseId}: ${r.reason}\n`);
  for (const w of outcome.wide) process.stderr.write(`infergate: warning: ${w.message}.\n`);
  process.stderr.write(
    `infergate: wrote ${displayPath(outcome.file)}: ${outcome.written} entr${outcome.written === 1 ? 'y' : 'ies'} from ${runs.length > 1 ? `${runs.length} runs pooled (${runs.map((r) => r.results.runId).join(', ')})` : `run ${loaded.results.runId}`}` +
      `${outcome.replaced ? ` (${outcome.replaced} replaced)` : ''}; ${outcome.baseline.entries.length} in the file${outcome.baseline.simulated ? ' (SIMULATED baseline)' : ''}. Review it with git diff and commit it.\n`,
  );
  if (opts.json) {
    printJson({
      schemaVersion: JSON_SCHEMA_VERSION,
      file: outcome.file,
      runId: loaded.results.runId,
      written: outcome.written,
      replaced: outcome.replaced,
      entries: outcome.baseline.entries.length,
      simulated: outcome.baseline.simulated,
      refused: outcome.refused,
      wide: outcome.wide,
    } satisfies z.infer<typeof BaselineUpdateJson>);
  }
  return EXIT.ok;
}

/** The runs named, or the newest qualifying runs of a results store (--from-history). */
function selectRuns(paths: readonly string[], opts: BaselineUpdateOptions): LoadedResults[] {
  if (!opts.fromHistory) {
    if (opts.last || opts.suite) throw new UserError('--last and --suite choose runs of --from-history; add --from-history DIR, or name the runs.');
    if (!paths.length) throw new UserError('baseline update: name the runs to take (results.json or run folders), or pool the newest of a results store with --from-history DIR.');
    return paths.map((p) => readResults(p));
  }
  if (paths.length) throw new UserError('--from-history picks the runs itself: give no run folders with it.');
  const last = opts.last === undefined ? 5 : Number(opts.last);
  if (!Number.isInteger(last) || last < 1 || last > 100) throw new UserError(`--last ${opts.last}: expected a whole number of runs from 1 to 100.`);
  const { runs, skipped } = selectHistoryRuns([opts.fromHistory], last, opts.suite);
  for (const s of skipped) process.stderr.write(`infergate: --from-history: passed over run ${s.runId}: ${s.reason}\n`);
  process.stderr.write(`infergate: --from-history: pooling ${runs.length} run${runs.length > 1 ? 's' : ''} (${runs.map((r) => r.results.runId).join(', ')})\n`);
  return runs;
}
