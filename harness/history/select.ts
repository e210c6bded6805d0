/**
 * Baselines from history: the last N runs of a suite in a results store that may be pooled into a
 * baseline, so the nightly gate compares with the recent past instead of one night. A run
 * qualifies when it measured something and every measurement it made passed validity; noisy
 * cases inside it are still refused by `baseline update` itself.
 */
import type { LoadedResults } from '../core/index.js';
import { UserError } from '../errors.js';
import { readResults } from '../report/results-file.js';
import { findResultsFiles } from './read.js';

export interface HistorySelection {
  runs: LoadedResults[];
  /** Newer runs passed over, and why. */
  skipped: { runId: string; reason: string }[];
}

function disqualified(r: LoadedResults): string | undefined {
  const ok = r.results.cases.filter((c) => c.status === 'ok');
  if (!ok.length) return 'no case measured';
  const invalid = ok.filter((c) => c.validity && !c.validity.valid);
  return invalid.length ? `${invalid.length} invalid measurement${invalid.length > 1 ? 's' : ''} (${invalid[0]!.id}, ...)` : undefined;
}

/** The newest `last` qualifying runs of the suite under `dirs`, oldest first (as `baseline update` takes them). */
export function selectHistoryRuns(dirs: readonly string[], last: number, suite?: string): HistorySelection {
  const all = findResultsFiles(dirs).map((f) => readResults(f));
  const suites = [...new Set(all.map((r) => r.results.suite.name))].sort();
  const name = suite ?? (suites.length === 1 ? suites[0] : undefined);
  if (!name) {
    throw new UserError(`--from-history ${dirs.join(' ')}: ${suites.length ? `the store holds runs of several suites (${suites.join(', ')}); name one with --suite` : 'no results.json found there'}.`);
  }
  const ofSuite = all.filter((r) => r.results.suite.name === name).sort((a, b) => (a.results.startedAt < b.results.startedAt ? 1 : -1));
  const runs: LoadedResults[] = [];
  const skipped: HistorySelection['skipped'] = [];
  for (const r of ofSuite) {
    if (runs.length === last) break;
    const why = disqualified(r);
    if (why) skipped.push({ runId: r.results.runId, reason: why });
    else runs.push(r);
  }
  if (!runs.length) throw new UserError(`--from-history ${dirs.join(' ')}: no run of suite '${name}' there passed validity${skipped.length ? ` (${skipped.length} skipped: ${skipped[0]!.reason}, ...)` : ''}.`);
  return { runs: runs.reverse(), skipped };
}
