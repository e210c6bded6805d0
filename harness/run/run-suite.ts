/**
 * One run of a suite: preflight (targets available, models resolvable), then each case in its
 * own process under a watchdog, each finished case journalled (fsynced) before the next starts;
 * results and reports are rebuilt from the journal. A failure costs only its case.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadDataset, type Dataset } from '../accuracy/dataset.js';
import { evaluationKey, refusedForSynthetic } from '../accuracy/index.js';
import type { GateOptions, GateReport } from '../baseline/compare.js';
import { combinedExitCode, gateRun } from '../baseline/gate.js';
import { METRICS } from '../baseline/metrics.js';
import { collectFingerprint, type EnvFingerprint } from '../env/fingerprint.js';
import { EXIT, InfraError, UserError } from '../errors.js';
import { runLengthOf } from '../measure/index.js';
import { resolveModel, type ResolvedModel } from '../models/resolve.js';
import { csvExporter } from '../report/csv.js';
import type { Exporter } from '../report/exporter.js';
import { htmlExporter } from '../report/html.js';
import { jsonExporter } from '../report/json.js';
import { junitExporter } from '../report/junit.js';
import { markdownExporter } from '../report/markdown.js';
import { progressReporter } from '../report/progress.js';
import { DEFINITIONS, RESULTS_SCHEMA_VERSION, summarizeCases, type AccuracySummary, type CaseResult, type RunResults } from '../report/results.js';
import { summaryExporter } from '../report/summary.js';
import { writeAtomic, writeReports } from '../report/write.js';
import { accuracyModels, expandSuite, type Case } from '../suite/expand.js';
import type { LoadedSuite } from '../suite/load.js';
import { targetAvailability, type Availability } from '../targets/availability.js';
import { executeCase, type CaseFindings, type CaseWork } from './execute-case.js';
import { runCaseIsolated } from './isolate.js';
import { artifactKey, convertCase, describeConversion, runsConverted, suiteCalibration, type Conversion } from '../convert/index.js';
import { Journal, readJournal } from './journal.js';

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
  signal?: AbortSignal;
  /** Compare with baselines before writing reports (`run --gate`); re-measure suspects up to `confirm` times. */
  gate?: { baselinePath: string; options: GateOptions; confirm?: number };
}

export interface RunOutcome {
  results: RunResults;
  runDir: string;
  files: string[];
  exitCode: number;
}

export const FILE_EXPORTERS: readonly Exporter[] = [jsonExporter, csvExporter, markdownExporter, htmlExporter, summaryExporter, junitExporter];

export function makeRunId(suiteName: string, when = new Date()): string {
  const stamp = when.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${suiteName}-${stamp}`;
}

function uniqueDir(base: string): string {
  if (!existsSync(base)) return base;
  for (let i = 2; ; i++) if (!existsSync(`${base}-${i}`)) return `${base}-${i}`;
}

function baseResult(c: Case, model?: ResolvedModel): CaseResult {
  if (c.target.backend === 'sim') {
    return {
      id: c.id,
      key: c.key,
      status: 'skipped',
      simulated: true,
      weights: 'none',
      model: { ref: c.model.ref },
      target: { id: c.target.id, backend: c.target.backend, device: c.target.device },
      notes: ['SIMULATED device: a service-time model from published figures; no model runs'],
    };
  }
  return {
    id: c.id,
    key: c.key,
    status: 'skipped',
    simulated: c.target.simulated,
    weights: model?.weights ?? (c.model.ref.endsWith('@synthetic') || c.model.weights === 'synthetic' ? 'synthetic' : 'real'),
    model: { ref: c.model.ref, path: model?.path, sha256: model?.sha256, description: model?.spec?.description },
    target: { id: c.target.id, backend: c.target.backend, device: c.target.device },
    notes: [...(model?.notes ?? [])],
  };
}

/** Exit code from case outcomes: bad input (2) outranks infrastructure (3); otherwise 0. */
export function exitCodeFor(cases: readonly CaseResult[], interrupted?: 'SIGINT' | 'SIGTERM'): number {
  if (interrupted) return interrupted === 'SIGINT' ? EXIT.sigint : EXIT.sigterm;
  if (cases.some((c) => c.status === 'failed' && c.error?.kind === 'bad-input')) return EXIT.badInput;
  if (cases.some((c) => c.status === 'failed')) return EXIT.infrastructure;
  return EXIT.ok;
}

/** Watchdog budgets (seconds): the suite's, or generous multiples of what the case should take. */
export function caseBudgets(c: Case, images: number, datasetTimeout: number | 'auto' = 'auto'): { measure: number; evaluate: number } {
  const measure = c.measure.timeout === 'auto' ? c.measure.warmup.duration + c.measure.maxDuration * 1.5 + 60 : c.measure.timeout;
  const evaluate = datasetTimeout === 'auto' ? 300 + images * 0.5 : datasetTimeout;
  return { measure, evaluate };
}

function applyFindings(r: CaseResult, f: CaseFindings): void {
  const { notes, interrupted: _interrupted, ...fields } = f;
  Object.assign(r, fields);
  r.notes.push(...notes);
}

/** The cases whose speed the gate calls regressed: candidates for a confirming re-measurement. */
function suspects(gate: GateReport): Set<string> {
  return new Set(gate.verdicts.filter((v) => v.verdict === 'regressed' && v.metric !== 'case' && METRICS[v.metric].kind === 'performance').map((v) => v.caseId));
}

export async function runSuite(loaded: LoadedSuite, options: RunOptions = {}): Promise<RunOutcome> {
  const log = options.log ?? (() => {});
  const isolate = options.isolate ?? true;
  const { suite } = loaded;
  const { cases, issues } = expandSuite(suite);
  if (issues.length) throw new UserError(issues.map((i) => i.message).join('; '));

  const previous = options.resumeDir ? readJournal(options.resumeDir) : undefined;
  if (previous) {
    const unknown = [...previous.cases.keys()].filter((id) => !cases.some((c) => c.id === id));
    if (unknown.length) throw new UserError(`--resume ${options.resumeDir}: the journal holds cases the suite does not (${unknown.slice(0, 3).join(', ')}); was suite.yaml edited?`);
  }

  // Preflight 1: every target available, or explicitly allowed not to be.
  const pending = cases.filter((c) => !previous?.cases.has(c.id));
  const availability = new Map<string, Availability>();
  for (const c of cases) if (!availability.has(c.target.id)) availability.set(c.target.id, targetAvailability(c.target));
  const missing = [...availability.entries()].filter(([id, a]) => !a.available && pending.some((c) => c.target.id === id));
  if (missing.length && !options.allowUnavailable) {
    throw new InfraError(
      `target${missing.length > 1 ? 's' : ''} not available on this machine: ${missing.map(([id, a]) => `${id} (${a.reason})`).join('; ')}. ` +
        `Run 'infergate doctor' for details, or pass --allow-unavailable to record them as unavailable and run the rest.`,
    );
  }

  // Preflight 2: every model resolvable (missing or corrupt files are the user's to fix, exit 2).
  const models = new Map<string, ResolvedModel>();
  for (const c of pending) {
    if (!availability.get(c.target.id)!.available || c.target.backend === 'sim') continue;
    const key = `${c.model.ref}|${c.model.weights}`;
    if (!models.has(key)) models.set(key, await resolveModel(c.model, loaded.baseDir));
  }

  // Preflight 3: the dataset reads (folder, labels, selection) before anything is measured.
  const scored = accuracyModels(suite);
  let dataset: Dataset | undefined;
  if (suite.dataset && pending.some((c) => scored.has(c.key.model))) dataset = loadDataset(suite.dataset, loaded.baseDir);

  // Preflight 4: vendor targets, and ort-cpu at fp16/int8, run converted artifacts, from the cache or built now.
  const artifacts = new Map<string, ResolvedModel>();
  const converted = pending.filter((c) => availability.get(c.target.id)!.available && runsConverted(c));
  if (converted.length) {
    const calibration = suiteCalibration(suite, loaded.baseDir, converted, loaded.file, dataset);
    const built = new Map<string, Conversion>();
    for (const c of converted) {
      const model = models.get(`${c.model.ref}|${c.model.weights}`)!;
      if (!built.has(artifactKey(c))) {
        if (c.target.backend === 'ort') log(`infergate: ${c.key.model} as ${c.key.precision} for ${c.target.id}: converting, or from the artifact cache ...`);
        built.set(artifactKey(c), await convertCase(c, model, suite, calibration));
      }
      const conv = built.get(artifactKey(c))!;
      artifacts.set(c.id, { ...model, path: conv.artifact!, sha256: undefined, notes: [...model.notes, describeConversion(conv, model)] });
    }
  }

  /** What a case runs: its converted artifact, else the resolved source model. */
  const modelFor = (c: Case) => artifacts.get(c.id) ?? models.get(`${c.model.ref}|${c.model.weights}`);

  let runDir: string;
  let runId: string;
  let startedAt: string;
  let env: EnvFingerprint;
  let journal: Journal;
  const targetVersions: Record<string, Record<string, string>> = {};
  for (const [id, a] of availability) targetVersions[id] = a.versions;
  if (previous) {
    runDir = resolve(options.resumeDir!);
    ({ runId, startedAt, env } = previous.header);
    journal = Journal.reopen(runDir);
    log(`infergate: resuming ${runId}: ${previous.cases.size} of ${cases.length} cases already in the journal${previous.droppedLines ? ` (a torn last line was dropped)` : ''}`);
  } else {
    const now = new Date();
    runId = makeRunId(suite.name, now);
    startedAt = now.toISOString();
    runDir = options.outDir ? resolve(options.outDir) : uniqueDir(resolve('reports', runId));
    env = collectFingerprint(targetVersions);
    // The suite as run goes first: --resume reads it back.
    writeAtomic(join(runDir, 'suite.yaml'), loaded.text);
    journal = Journal.create(runDir, { runId, suite: { name: suite.name, file: loaded.file, description: suite.description }, startedAt, env });
  }

  const evaluations = new Map<string, AccuracySummary>();
  for (const { result } of previous?.cases.values() ?? []) {
    if (result.accuracy?.status === 'ok') evaluations.set(evaluationKey(cases.find((c) => c.id === result.id)!), result.accuracy);
  }
  let interrupted: 'SIGINT' | 'SIGTERM' | undefined;
  const onAbort = () => {
    interrupted = options.signal?.reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const unjournalled = new Map<string, CaseResult>();

  const runCase = async (work: CaseWork, budgets: { measure: number; evaluate: number }, label: string): Promise<CaseFindings> => {
    const progress = work.evaluate && options.progressStream ? progressReporter(options.progressStream, `accuracy on ${work.evaluate.dataset.name}:`) : undefined;
    if (!isolate) return executeCase(work, { signal: options.signal, log, progress });
    return runCaseIsolated(
      { suiteFile: loaded.file, suiteText: loaded.text, caseId: work.c.id, index: work.index, runDir: work.runDir, model: work.model, evaluate: !!work.evaluate, samplesSuffix: work.samplesSuffix },
      { budgets, signal: options.signal, log, progress, started: (pid) => log(`      ${label} (pid ${pid})`) },
    );
  };

  try {
    for (const [i, c] of cases.entries()) {
      if (previous?.cases.has(c.id)) continue;
      const avail = availability.get(c.target.id)!;
      const model = modelFor(c);
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

      // Accuracy: once per evaluation key, never for simulated devices or synthetic weights.
      let evaluate: CaseWork['evaluate'];
      const key = evaluationKey(c);
      if (dataset && suite.dataset && scored.has(c.key.model)) {
        let known = evaluations.get(key);
        if (!known && c.target.simulated) known = { status: 'refused', reason: 'simulated device: no model runs, so there is no accuracy' };
        if (!known && model!.weights === 'synthetic') known = refusedForSynthetic();
        if (known) {
          r.accuracy = known;
          if (known.status === 'refused') r.notes.push(`accuracy not scored: ${known.reason}`);
        } else evaluate = { dataset, spec: suite.dataset };
      }
      const findings = await runCase({ c, index: i, runDir, model, evaluate }, caseBudgets(c, dataset?.items.length ?? 0, suite.dataset?.timeout), 'case process');
      applyFindings(r, findings);
      if (r.accuracy && evaluate) evaluations.set(key, r.accuracy);
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
  const runResults: RunResults = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId,
    suite: { name: suite.name, file: loaded.file, description: suite.description },
    startedAt,
    finishedAt: new Date().toISOString(),
    env,
    definitions: DEFINITIONS,
    cases: results,
    summary: summarizeCases(results),
  };
  // Results first, so that a baseline problem (exit 2) never costs the measurements.
  writeReports(runDir, runResults, FILE_EXPORTERS);
  const runExit = exitCodeFor(results, interrupted);
  if (options.gate) {
    runResults.gate = gateRun({ dir: runDir, results: runResults }, options.gate.baselinePath, options.gate.options);
    if (!interrupted) await confirmRegressions(runResults, cases, modelFor, runDir, options.gate, log, runCase, dataset?.items.length ?? 0, options.signal);
    runResults.summary = summarizeCases(results);
  }
  const files = writeReports(runDir, runResults, FILE_EXPORTERS);
  return { results: runResults, runDir, files, exitCode: combinedExitCode(runExit, runResults.gate) };
}

/**
 * Shared machines have slow spells lasting seconds (a neighbour's load, a frequency drop) that
 * shift a whole measurement. A regression is believed only when it survives re-measurement: each
 * suspect case is measured again, up to `confirm` times, and passes as soon as one measurement
 * does. Accuracy is deterministic and is never re-run.
 */
async function confirmRegressions(
  runResults: RunResults,
  cases: readonly Case[],
  modelFor: (c: Case) => ResolvedModel | undefined,
  runDir: string,
  gateJob: NonNullable<RunOptions['gate']>,
  log: (line: string) => void,
  runCase: (work: CaseWork, budgets: { measure: number; evaluate: number }, label: string) => Promise<CaseFindings>,
  images: number,
  signal?: AbortSignal,
): Promise<void> {
  const confirm = gateJob.confirm ?? 0;
  for (let attempt = 1; attempt <= confirm && runResults.gate; attempt++) {
    const ids = suspects(runResults.gate);
    if (!ids.size || signal?.aborted) return;
    for (const id of ids) {
      const index = cases.findIndex((c) => c.id === id);
      const c = cases[index]!;
      const r = runResults.cases[index]!;
      const before = r.throughput?.qps;
      log(`gate: ${id} looks regressed; re-measuring to confirm (${attempt} of ${confirm})`);
      const f = await runCase({ c, index, runDir, model: modelFor(c), samplesSuffix: `-confirm-${attempt}` }, caseBudgets(c, images), 'confirming process');
      if (f.status === 'ok' && !f.interrupted) {
        const { accuracy: _keep, notes: _n, ...measured } = f;
        Object.assign(r, measured);
        r.notes.push(`re-measured (${attempt} of ${confirm}) to confirm a suspected regression: ${before?.toFixed(2)} -> ${f.throughput!.qps.toFixed(2)} qps; the figures shown are the latest measurement`);
      } else {
        r.notes.push(`re-measurement ${attempt} did not complete (${f.error?.message ?? 'interrupted'}); the earlier measurement stands`);
      }
    }
    runResults.gate = gateRun({ dir: runDir, results: runResults }, gateJob.baselinePath, gateJob.options);
  }
}

/** The suite text a run directory holds (for --resume). */
export function runDirSuiteText(runDir: string): string {
  const file = join(runDir, 'suite.yaml');
  if (!existsSync(file)) throw new UserError(`--resume ${runDir}: no suite.yaml there; give the run directory of an earlier 'infergate run'.`);
  return readFileSync(file, 'utf8');
}
