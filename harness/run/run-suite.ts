/**
 * One run of a suite: plan (targets, models, dataset, artifacts), then each case in its own
 * process under a watchdog, each finished case journalled (fsynced) before the next starts;
 * results and reports are rebuilt from the journal. A failure costs only its case.
 */
import { DEFINITIONS, RESULTS_SCHEMA_VERSION, summarizeCases, type CaseResult, type RunResults } from '../core/index.js';
import { gateRun } from '../baseline/gate.js';
import type { GateOptions } from '../baseline/compare.js';
import { UserError } from '../errors.js';
import { runLengthOf } from '../measure/index.js';
import { RUN_EXPORTERS } from '../report/index.js';
import { exportContext } from '../report/samples.js';
import type { LiveProgress } from '../report/progress.js';
import { writeExports, writeReports, type ExportRequest } from '../report/write.js';
import { expandSuite } from '../suite/expand.js';
import type { LoadedSuite } from '../suite/load.js';
import { applyFindings, baseResult } from './case-result.js';
import { caseRunner } from './case-runner.js';
import { confirmRegressions } from './confirm.js';
import { Evaluations } from './evaluations.js';
import { combinedExitCode, exitCodeFor, type Interruption } from './exit-code.js';
import { readJournal } from './journal.js';
import { planRun } from './plan.js';
import { openRunFolder } from './run-folder.js';

export interface RunOptions {
  /** Run directory; default reports/<run-id> under the current folder. */
  outDir?: string;
  /** Continue the run in this directory: only cases missing from its journal run. */
  resumeDir?: string;
  allowUnavailable?: boolean;
  /** Run each case in its own process under a watchdog (default); false runs them in-process. */
  isolate?: boolean;
  /** Progress lines (stderr); silent when undefined. */
  log?: (line: string) => void;
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

export async function runSuite(loaded: LoadedSuite, options: RunOptions = {}): Promise<RunOutcome> {
  const log = options.log ?? (() => {});
  const { suite } = loaded;
  const { cases, issues } = expandSuite(suite);
  if (issues.length) throw new UserError(issues.map((i) => i.message).join('; '));
  const previous = options.resumeDir ? readJournal(options.resumeDir) : undefined;
  const unknown = [...(previous?.cases.keys() ?? [])].filter((id) => !cases.some((c) => c.id === id));
  if (unknown.length) throw new UserError(`--resume ${options.resumeDir}: the journal holds cases the suite does not (${unknown.slice(0, 3).join(', ')}); was suite.yaml edited?`);

  const plan = await planRun(loaded, cases, new Set(previous?.cases.keys() ?? []), options.allowUnavailable ?? false, log);
  const targetVersions = Object.fromEntries([...plan.availability].map(([id, a]) => [id, a.versions]));
  const { runDir, runId, startedAt, env, journal } = openRunFolder(loaded, { ...options, previous, targetVersions });
  if (previous) log(`infergate: resuming ${runId}: ${previous.cases.size} of ${cases.length} cases already in the journal${previous.droppedLines ? ` (a torn last line was dropped)` : ''}`);

  const evaluations = new Evaluations(plan.dataset, plan.scored);
  evaluations.remember(cases, [...(previous?.cases.values() ?? [])].map((e) => e.result));
  const runCase = caseRunner(loaded, { isolate: options.isolate ?? true, log, progressStream: options.progressStream, signal: options.signal, images: plan.dataset?.items.length ?? 0, datasetTimeout: suite.dataset?.timeout });
  let interrupted: Interruption | undefined;
  const onAbort = () => (interrupted = options.signal?.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT');
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const unjournalled = new Map<string, CaseResult>();
  const runStartedMs = Date.now();
  // What a case should take by its policy, for the run's remaining time on the live line.
  const expected = cases.map((c) => (previous?.cases.has(c.id) || !plan.availability.get(c.target.id)?.available ? 0 : c.measure.warmup.duration + c.measure.minDuration));

  try {
    for (const [i, c] of cases.entries()) {
      if (previous?.cases.has(c.id)) continue;
      const avail = plan.availability.get(c.target.id)!;
      const model = plan.modelFor(c);
      const r = baseResult(c, model);
      if (!avail.available) {
        r.status = 'unavailable';
        r.notes.push(`target unavailable: ${avail.reason}`);
        journal.appendCase(i, r);
        continue;
      }
      if (interrupted) {
        r.notes.push(`not run: the run was interrupted (${interrupted}); --resume runs it`);
        unjournalled.set(c.id, r);
        continue;
      }
      log(`[${i + 1}/${cases.length}] ${c.id}${c.target.simulated ? ' (SIMULATED)' : ''}${r.weights === 'synthetic' ? ' (synthetic weights)' : ''} ...`);
      const t0 = Date.now();
      r.startedAt = new Date(t0).toISOString();
      r.runLength = runLengthOf(c);
      const { known, evaluate } = evaluations.decide(c, model);
      if (known) {
        r.accuracy = known;
        if (known.status === 'refused') r.notes.push(`accuracy not scored: ${known.reason}`);
      }
      const info = { index: i, total: cases.length, caseId: c.id, runLength: r.runLength, threads: c.key.threads, batch: c.key.batch, caseStartedMs: t0, runStartedMs, laterSeconds: expected.slice(i + 1).reduce((a, b) => a + b, 0) };
      const live = options.live;
      const findings = await runCase({ c, index: i, runDir, model, evaluate: evaluate && { dataset: evaluate, spec: suite.dataset! } }, 'case process', live && ((p) => live.measuring(info, p)));
      live?.clear();
      applyFindings(r, findings);
      if (evaluate) evaluations.record(c, r.accuracy);
      r.durationSeconds = (Date.now() - t0) / 1000;
      if (findings.interrupted || (interrupted && r.status !== 'ok')) {
        r.status = r.status === 'ok' ? 'ok' : 'skipped';
        r.notes.push(`interrupted (${interrupted ?? 'SIGINT'}): not journalled; --resume runs this case again`);
        unjournalled.set(c.id, r);
        continue;
      }
      journal.appendCase(i, r);
    }
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    journal.close();
  }

  // Rebuilt from the journal: what the reports say is exactly what survived on disk.
  const journalled = readJournal(runDir).cases;
  const results = cases.map((c) => journalled.get(c.id)?.result ?? unjournalled.get(c.id) ?? { ...baseResult(c), notes: ['not run'] });
  const suiteInfo = { name: suite.name, file: loaded.file, description: suite.description };
  const runResults: RunResults = { schemaVersion: RESULTS_SCHEMA_VERSION, runId, suite: suiteInfo, startedAt, finishedAt: new Date().toISOString(), env, definitions: DEFINITIONS, cases: results, summary: summarizeCases(results) };
  const runExit = exitCodeFor(results, interrupted);
  const gate = options.gate;
  // With a gate, results first, so that a baseline problem (exit 2) never costs the measurements.
  if (gate) await writeReports(runDir, runResults, RUN_EXPORTERS, exportContext(runDir, runResults));
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
}
