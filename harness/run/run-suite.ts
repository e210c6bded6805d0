/**
 * One run of a suite: preflight (targets available, models resolvable), then each case measured
 * in turn, each failure costing only its case, then results and reports in the run directory.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { collectFingerprint } from '../env/fingerprint.js';
import { errorMessage, EXIT, InfraError, UserError } from '../errors.js';
import { measureCase, runLengthOf } from '../measure/index.js';
import { resolveModel, type ResolvedModel } from '../models/resolve.js';
import { csvExporter } from '../report/csv.js';
import type { Exporter } from '../report/exporter.js';
import { jsonExporter } from '../report/json.js';
import { markdownExporter } from '../report/markdown.js';
import { DEFINITIONS, RESULTS_SCHEMA_VERSION, summarizeCases, type CaseResult, type RunResults } from '../report/results.js';
import { writeAtomic, writeReports } from '../report/write.js';
import { loadDataset, type Dataset } from '../accuracy/dataset.js';
import { evaluateCase, evaluationKey, refusedForSynthetic } from '../accuracy/index.js';
import { progressReporter } from '../report/progress.js';
import type { AccuracySummary } from '../report/results.js';
import { accuracyModels, expandSuite, type Case } from '../suite/expand.js';
import type { LoadedSuite } from '../suite/load.js';
import { targetAvailability, type Availability } from '../targets/availability.js';

export interface RunOptions {
  /** Run directory; default reports/<run-id> under the current folder. */
  outDir?: string;
  allowUnavailable?: boolean;
  /** Progress lines (stderr); silent when undefined. */
  log?: (line: string) => void;
  /** Where evaluation progress goes (a TTY gets a redrawn bar); none when undefined. */
  progressStream?: NodeJS.WriteStream;
  signal?: AbortSignal;
}

export interface RunOutcome {
  results: RunResults;
  runDir: string;
  files: string[];
  exitCode: number;
}

export const FILE_EXPORTERS: readonly Exporter[] = [jsonExporter, csvExporter, markdownExporter];

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

export async function runSuite(loaded: LoadedSuite, options: RunOptions = {}): Promise<RunOutcome> {
  const log = options.log ?? (() => {});
  const { suite } = loaded;
  const { cases, issues } = expandSuite(suite);
  if (issues.length) throw new UserError(issues.map((i) => i.message).join('; '));

  // Preflight 1: every target available, or explicitly allowed not to be.
  const availability = new Map<string, Availability>();
  for (const c of cases) if (!availability.has(c.target.id)) availability.set(c.target.id, targetAvailability(c.target));
  const missing = [...availability.entries()].filter(([, a]) => !a.available);
  if (missing.length && !options.allowUnavailable) {
    throw new InfraError(
      `target${missing.length > 1 ? 's' : ''} not available on this machine: ${missing.map(([id, a]) => `${id} (${a.reason})`).join('; ')}. ` +
        `Run 'infergate doctor' for details, or pass --allow-unavailable to record them as unavailable and run the rest.`,
    );
  }

  // Preflight 2: every model resolvable (missing or corrupt files are the user's to fix, exit 2).
  const models = new Map<string, ResolvedModel>();
  for (const c of cases) {
    if (!availability.get(c.target.id)!.available || c.target.backend === 'sim') continue;
    const key = `${c.model.ref}|${c.model.weights}`;
    if (!models.has(key)) models.set(key, await resolveModel(c.model, loaded.baseDir));
  }

  // Preflight 3: the dataset reads (folder, labels, selection) before anything is measured.
  const scored = accuracyModels(suite);
  let dataset: Dataset | undefined;
  if (suite.dataset && cases.some((c) => scored.has(c.key.model))) dataset = loadDataset(suite.dataset, loaded.baseDir);

  const startedAt = new Date();
  const runId = makeRunId(suite.name, startedAt);
  const runDir = options.outDir ? resolve(options.outDir) : uniqueDir(resolve('reports', runId));
  const targetVersions: Record<string, Record<string, string>> = {};
  for (const [id, a] of availability) targetVersions[id] = a.versions;
  const env = collectFingerprint(targetVersions);

  const results: CaseResult[] = [];
  const evaluations = new Map<string, AccuracySummary>();
  let interrupted: 'SIGINT' | 'SIGTERM' | undefined;
  const onAbort = () => {
    const reason = options.signal?.reason;
    interrupted = reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT';
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });

  for (const [i, c] of cases.entries()) {
    const avail = availability.get(c.target.id)!;
    const model = models.get(`${c.model.ref}|${c.model.weights}`);
    const r = baseResult(c, model);
    if (!avail.available) {
      r.status = 'unavailable';
      r.notes.push(`target unavailable: ${avail.reason}`);
      results.push(r);
      continue;
    }
    if (interrupted) {
      r.status = 'skipped';
      r.notes.push(`not run: the run was interrupted (${interrupted})`);
      results.push(r);
      continue;
    }
    log(`[${i + 1}/${cases.length}] ${c.id}${c.target.simulated ? ' (SIMULATED)' : ''}${r.weights === 'synthetic' ? ' (synthetic weights)' : ''} ...`);
    const t0 = Date.now();
    r.startedAt = new Date(t0).toISOString();
    r.runLength = runLengthOf(c);
    try {
      const { measurement: m, session } = await measureCase(c, model?.path ?? '', options.signal);
      r.status = 'ok';
      r.session = session;
      r.inputs = m.inputs;
      r.latency = { pooled: m.pooled, perThread: m.threads.map((t) => ({ thread: t.index, ...t.latency })), ...(m.device ? { device: m.device } : {}) };
      r.throughput = m.throughput;
      r.validity = m.validity;
      const first = m.threads[0];
      if (first) r.timings = { sessionCreateMs: first.sessionCreateMs, firstCallMs: first.firstCallMs, warmupCalls: first.warmupCalls };
      r.samplesFile = `samples/case-${String(i + 1).padStart(3, '0')}.json`;
      writeAtomic(join(runDir, r.samplesFile), JSON.stringify({ id: c.id, unit: 'ms', order: 'call order per thread', threads: m.threads.map((t) => Array.from(t.samples)) }));
      if (interrupted) r.notes.push(`interrupted (${interrupted}): measured until the current call ended`);
      log(`      ${m.throughput.qps.toFixed(2)} qps, mean ${m.pooled.mean.toFixed(3)} ms, p99 ${m.pooled.p99.toFixed(3)} ms${m.validity.valid ? '' : ' (INVALID)'}`);
      if (dataset && suite.dataset && scored.has(c.key.model) && !interrupted) {
        const key = evaluationKey(c);
        let acc = evaluations.get(key);
        if (!acc && c.target.simulated) acc = { status: 'refused', reason: 'simulated device: no model runs, so there is no accuracy' };
        if (!acc && model!.weights === 'synthetic') acc = refusedForSynthetic();
        if (!acc) {
          const rel = `predictions/case-${String(i + 1).padStart(3, '0')}.jsonl`;
          const progress = options.progressStream ? progressReporter(options.progressStream, `accuracy on ${dataset.name}:`) : undefined;
          try {
            acc = await evaluateCase(c, model!, dataset, suite.dataset, join(runDir, rel), rel, progress, options.signal);
            log(`      top-1 ${(acc.top1!.value * 100).toFixed(2)}%, top-5 ${(acc.top5!.value * 100).toFixed(2)}% on ${acc.n} images (${acc.imagesPerSecond!.toFixed(1)} img/s)`);
          } catch (err) {
            const kind = err instanceof UserError ? 'bad-input' : 'infrastructure';
            acc = { status: 'failed', reason: errorMessage(err) };
            r.status = 'failed';
            r.error = { kind, message: `accuracy: ${errorMessage(err)}` };
            log(`      accuracy failed (${kind}): ${errorMessage(err)}`);
          }
        }
        evaluations.set(key, acc);
        r.accuracy = acc;
        if (acc.status === 'refused') r.notes.push(`accuracy not scored: ${acc.reason}`);
      }
    } catch (err) {
      r.status = interrupted ? 'skipped' : 'failed';
      const kind = err instanceof UserError ? 'bad-input' : 'infrastructure';
      if (interrupted) r.notes.push(`interrupted (${interrupted}): ${errorMessage(err)}`);
      else r.error = { kind, message: errorMessage(err) };
      if (!interrupted) log(`      failed (${kind}): ${errorMessage(err)}`);
    }
    r.durationSeconds = (Date.now() - t0) / 1000;
    results.push(r);
  }
  options.signal?.removeEventListener('abort', onAbort);

  const runResults: RunResults = {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId,
    suite: { name: suite.name, file: loaded.file, description: suite.description },
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    env,
    definitions: DEFINITIONS,
    cases: results,
    summary: summarizeCases(results),
  };
  writeAtomic(join(runDir, 'suite.yaml'), loaded.text);
  const files = writeReports(runDir, runResults, FILE_EXPORTERS);
  return { results: runResults, runDir, files, exitCode: exitCodeFor(results, interrupted) };
}
