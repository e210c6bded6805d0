/**
 * One run of a suite: plan (targets, models, dataset, artifacts), then each case in its own
 * process under a watchdog, each finished case journalled (fsynced) before the next starts;
 * results and reports are rebuilt from the journal. A failure costs only its case.
 */
import { DEFINITIONS, RESULTS_SCHEMA_VERSION, summarizeCases, type CaseResult, type RunResults, type Shard } from '../core/index.js';
import { gateRun } from '../baseline/gate.js';
import type { GateOptions } from '../baseline/compare.js';
import { UserError } from '../errors.js';
import { RUN_EXPORTERS } from '../report/index.js';
import { exportContext } from '../report/samples.js';
import type { LiveProgress } from '../report/progress.js';
import { writeExports, writeReports, type ExportRequest } from '../report/write.js';
import { expandSuite } from '../suite/expand.js';
import { selectShard } from '../suite/shard.js';
import type { LoadedSuite } from '../suite/load.js';
import { baseResult } from './case-result.js';
import { runCases } from './case-loop.js';
import { caseRunner } from './case-runner.js';
import { confirmRegressions } from './confirm.js';
import { Evaluations } from './evaluations.js';
import { combinedExitCode, exitCodeFor, type Interruption } from './exit-code.js';
import { readJournal } from './journal.js';
import { planRun, type RunPlan } from './plan.js';
import type { Case } from '../suite/case.js';
import { openRunFolder } from './run-folder.js';

export interface RunOptions {
  /** Run directory; default reports/<run-id> under the current folder. */
  outDir?: string;
  /** A results store folder: the run goes to <resultsDir>/<machine class>/<run id>/ unless outDir is given. */
  resultsDir?: string;
  /** Run only the K-th of N parts of the suite's cases (--resume takes it from the journal). */
  shard?: Shard;
  /** Continue the run in this directory: only cases missing from its journal run. */
  resumeDir?: string;
  allowUnavailable?: boolean;
  /** Run each case in its own process under a watchdog (default); false runs them in-process. */
  isolate?: boolean;
  /** Progress lines (stderr); silent when undefined. */
  log?: (line: string) => void;
  /** Things the user must hear even with --quiet (a stale lock taken over); default: log. */
  notice?: (line: string) => void;
  /** Where evaluation progress goes (a TTY gets a redrawn bar); none when undefined. */
  progressStream?: NodeJS.WriteStream;
  /** The live line of the measuring case (i/N, elapsed and left, calls, qps); none when undefined. */
  live?: LiveProgress;
  signal?: AbortSignal;
  /** Compare with baselines before writing reports (`run --gate`); re-measure suspects up to `confirm` times. */
  gate?: { baselinePath: string; options: GateOptions; confirm?: number };
  /** --export: further formats, given the run directory. */
  exports?: (runDir: string) => ExportRequest[];
}

export interface RunOutcome {
  results: RunResults;
  runDir: string;
  files: string[];
  /** Files written for --export (absolute paths). */
  exported: string[];
  exitCode: number;
}

/** The targets that decide the run's machine class: those here (a suite naming S4 and X4 runs on one of them). */
function runTargets(cases: readonly Case[], availability: RunPlan['availability']): Case['target'][] {
  const here = cases.filter((c) => availability.get(c.target.id)?.available).map((c) => c.target);
  return here.length ? here : cases.map((c) => c.target);
}

export async function runSuite(loaded: LoadedSuite, options: RunOptions = {}): Promise<RunOutcome> {
  const log = options.log ?? (() => {});
  const { suite } = loaded;
  const expanded = expandSuite(suite);
  if (expanded.issues.length) throw new UserError(expanded.issues.map((i) => i.message).join('; '));
  const previous = options.resumeDir ? readJournal(options.resumeDir) : undefined;
  const shard = previous ? previous.header.shard : options.shard;
  const cases = selectShard(expanded.cases, shard, suite.name);
  const unknown = [...(previous?.cases.keys() ?? [])].filter((id) => !cases.some((c) => c.id === id));
  if (unknown.length) throw new UserError(`--resume ${options.resumeDir}: the journal holds cases the suite does not (${unknown.slice(0, 3).join(', ')}); was suite.yaml edited?`);

  const plan = await planRun(loaded, cases, new Set(previous?.cases.keys() ?? []), options.allowUnavailable ?? false, log);
  const targetVersions = Object.fromEntries([...plan.availability].map(([id, a]) => [id, a.versions]));
  const folder = openRunFolder(loaded, { ...options, shard, previous, targetVersions, targets: runTargets(cases, plan.availability), log: options.notice ?? log });
  const { runDir, runId, startedAt, env, journal } = folder;
  if (previous) log(`infergate: resuming ${runId}: ${previous.cases.size} of ${cases.length} cases already in the journal${previous.droppedLines ? ' (a torn last line was cut away)' : ''}`);

  const evaluations = new Evaluations(plan.dataset, plan.scored);
  evaluations.remember(cases, [...(previous?.cases.values() ?? [])].map((e) => e.result));
  const runCase = caseRunner(loaded, { isolate: options.isolate ?? true, log, progressStream: options.progressStream, signal: options.signal, images: plan.dataset?.items.length ?? 0, datasetTimeout: suite.dataset?.timeout });
  let interrupted: Interruption | undefined;
  const onAbort = () => (interrupted = options.signal?.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let unjournalled = new Map<string, CaseResult>();
  let failure: unknown;
  try {
    const done = new Set(previous?.cases.keys() ?? []);
    const loop = { cases, done, plan, evaluations, runCase, journal, runDir, datasetSpec: suite.dataset, live: options.live };
    unjournalled = await runCases({ ...loop, interrupted: () => interrupted, log });
  } catch (err) {
    failure = err; // a disk that refuses the journal: still write what the journal holds
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    journal.close();
  }

  try {
    // Rebuilt from the journal: what the reports say is exactly what survived on disk.
    const journalled = readJournal(runDir).cases;
    const results = cases.map((c) => journalled.get(c.id)?.result ?? unjournalled.get(c.id) ?? { ...baseResult(c), notes: ['not run'] });
    const suiteInfo = { name: suite.name, file: loaded.file, description: suite.description };
    const runResults: RunResults = { schemaVersion: RESULTS_SCHEMA_VERSION, runId, suite: suiteInfo, startedAt, finishedAt: new Date().toISOString(), env, definitions: DEFINITIONS, cases: results, summary: summarizeCases(results), ...(shard ? { shard } : {}) };
    const runExit = exitCodeFor(results, interrupted);
    const gate = options.gate;
    // Results first when something could still stop the run (a baseline problem, exit 2; a
    // refused write): the measurements are never lost to it.
    if (gate || failure) {
      try {
        await writeReports(runDir, runResults, RUN_EXPORTERS, exportContext(runDir, runResults));
      } catch (err) {
        failure ??= err;
      }
    }
    if (failure) throw failure;
    if (gate) {
      const rejudge = (r: RunResults) => gateRun({ dir: runDir, results: r }, gate.baselinePath, gate.options);
      runResults.gate = rejudge(runResults);
      const remeasure = (id: string, attempt: number) => {
        const index = cases.findIndex((c) => c.id === id);
        return runCase({ c: cases[index]!, index, runDir, model: plan.modelFor(cases[index]!), samplesSuffix: `-confirm-${attempt}` }, 'confirming process');
      };
      if (!interrupted) await confirmRegressions(runResults, { confirm: gate.confirm ?? 0, remeasure, rejudge, log, signal: options.signal });
      runResults.summary = summarizeCases(results);
    }
    const context = exportContext(runDir, runResults);
    const files = await writeReports(runDir, runResults, RUN_EXPORTERS, context);
    const exported = await writeExports(runDir, runResults, options.exports?.(runDir) ?? [], context);
    return { results: runResults, runDir, files, exported, exitCode: combinedExitCode(runExit, runResults.gate) };
  } finally {
    folder.lock.release();
  }
}
