/**
 * Reading many runs for history: find every results.json under the folders given (a results
 * store `<machine class>/<run id>/`, a reports folder, run folders), and keep only what a time
 * series needs. The files are validated through a pick of the results schema (core/results.ts):
 * the summary fields are checked, the rest (per-thread tables, notes, gate) is skipped, and the
 * samples files are never opened.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import {
  AccuracySummarySchema,
  BlocksSchema,
  CaseResultSchema,
  LatencyStatsSchema,
  METRICS,
  RESULTS_SCHEMA_VERSION,
  resultMachineClass,
  runMachineClass,
  RunResultsSchema,
  ThroughputSchema,
  ValiditySchema,
  type CaseKey,
  type EnvFingerprint,
  type MetricId,
} from '../core/index.js';
import { metricBlocks, metricValue } from '../core/metric-value.js';
import { readUserFile, UserError } from '../errors.js';
import { parseJsonFile } from '../util/json-file.js';

/**
 * The summary parts of results.json that history reads for these metrics: a pick of the one
 * results schema (core/results.ts), so a wrong type is still an error naming its JSON path, but
 * only the fields a series needs are checked (100,000 cases a night's store, validated each time).
 */
/** A part no asked-for metric reads: not validated, not kept. */
const unread = z.any().optional().transform((): undefined => undefined);

export function historyResultsSchema(metrics: readonly MetricId[]) {
  const series = new Set(metrics.map((m) => METRICS[m].blocks).filter((b) => b !== undefined));
  const caseSchema = CaseResultSchema.pick({ id: true, key: true, status: true, simulated: true, target: true, machineClass: true, host: true, runId: true }).extend({
    validity: ValiditySchema.pick({ valid: true }).optional(),
    throughput: ThroughputSchema.pick({ qps: true }).optional(),
    blocks: BlocksSchema.pick({ qps: series.has('qps') || undefined, mean: series.has('mean') || undefined }).optional(),
    latency: metrics.some((m) => m.startsWith('latency.')) ? z.object({ pooled: LatencyStatsSchema.pick({ mean: true, p99: true }) }).optional() : unread,
    accuracy: metrics.some((m) => m.startsWith('top')) ? AccuracySummarySchema.pick({ status: true, top1: true, top5: true }).optional() : unread,
  });
  return RunResultsSchema.pick({ schemaVersion: true, runId: true, suite: true, startedAt: true, env: true, shard: true, mergedFrom: true }).extend({ cases: z.array(caseSchema) });
}
type HistoryCase = z.output<ReturnType<typeof historyResultsSchema>>['cases'][number];

/** One case's figure for one metric in one run. */
export interface RunPoint {
  caseId: string;
  key: CaseKey;
  machineClass: string;
  simulated: boolean;
  metric: MetricId;
  value?: number;
  blocks?: number[];
  /** Why the run's figure is not used (failed, invalid): such runs are listed, not fitted. */
  excluded?: string;
}

export interface HistoryRun {
  runId: string;
  file: string;
  startedAt: string;
  time: number;
  suite: string;
  /** The run's machine class (runMachineClass): with run id, start and host, what identifies a run. */
  machineClass: string;
  env: EnvFingerprint;
  points: RunPoint[];
}

export interface ReadOptions {
  metrics: readonly MetricId[];
  /** Case ids to keep (caseMatcher); plain data, so that reader threads get it too. */
  casePattern?: string;
  /** Runs that started before this (ms since epoch) are left out. */
  since?: number;
}

/** Every results.json at or under the paths given; a run folder's own subfolders are not searched. */
export function findResultsFiles(paths: readonly string[]): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    if (existsSync(join(dir, 'results.json'))) return void found.push(join(dir, 'results.json'));
    if (depth === 0) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules') walk(join(dir, e.name), depth - 1);
    }
  };
  for (const p of paths) {
    const abs = resolve(p);
    if (!existsSync(abs)) throw new UserError(`history ${p}: no such file or folder; give run folders, results.json files or a results store folder.`);
    if (statSync(abs).isDirectory()) walk(abs, 4);
    else found.push(abs);
  }
  return [...new Set(found)];
}

/** A case pattern: '*' matches any run of characters; a pattern without one matches the case ids that contain it. */
export function caseMatcher(pattern: string | undefined): (id: string) => boolean {
  if (!pattern) return () => true;
  if (!pattern.includes('*')) return (id) => id.includes(pattern);
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return (id) => re.test(id);
}

function excludedReason(c: HistoryCase): string | undefined {
  if (c.status !== 'ok') return `case ${c.status}`;
  if (c.validity && !c.validity.valid) return 'measurement invalid';
  return undefined;
}

/** Reads one results file into runs (a merged file holds several), keeping only the metrics asked for. */
export function readHistoryFile(file: string, opts: ReadOptions): HistoryRun[] {
  const text = readUserFile(file, 'results', 'give run folders, results.json files or a results store folder');
  const r = parseJsonFile(text, file, historyResultsSchema(opts.metrics), {
    what: 'results',
    madeBy: "Is this a results.json written by 'infergate run'? Its format is schema/results.schema.json.",
    schemaVersion: RESULTS_SCHEMA_VERSION,
  });
  const sources = r.mergedFrom?.length ? r.mergedFrom : [{ runId: r.runId, startedAt: r.startedAt, env: r.env, machineClass: runMachineClass(r.cases.map((c) => c.target), r.env) }];
  const runs = new Map(sources.map((s) => [s.runId, { runId: s.runId, file, startedAt: s.startedAt, time: Date.parse(s.startedAt), suite: r.suite.name, machineClass: s.machineClass, env: s.env, points: [] as RunPoint[] }]));
  const wanted = caseMatcher(opts.casePattern);
  for (const c of r.cases) {
    if (!wanted(c.id)) continue;
    const run = runs.get(c.runId ?? r.runId) ?? runs.values().next().value!;
    if (opts.since !== undefined && !(run.time >= opts.since)) continue;
    const machineClass = resultMachineClass(c, run.env);
    const excluded = excludedReason(c);
    for (const metric of opts.metrics) {
      const value = metricValue(c, metric);
      if (value === undefined && !excluded) continue; // the case does not have this metric at all
      const point: RunPoint = { caseId: c.id, key: c.key, machineClass, simulated: c.simulated, metric };
      if (excluded || value === undefined || !Number.isFinite(value)) point.excluded = excluded ?? 'no value';
      else {
        point.value = value;
        const blocks = metricBlocks(c, metric)?.filter(Number.isFinite);
        if (blocks?.length) point.blocks = blocks;
      }
      run.points.push(point);
    }
  }
  return [...runs.values()].filter((run) => !Number.isNaN(run.time) && (opts.since === undefined || run.time >= opts.since));
}

/** The results files under the paths, or an error saying none is there. */
export function historyFiles(paths: readonly string[]): string[] {
  const files = findResultsFiles(paths);
  if (!files.length) throw new UserError(`history ${paths.join(' ')}: no results.json found there (searched 4 folders deep); give run folders or a results store folder.`);
  return files;
}

/** Runs read file by file, oldest first; the same run met twice (alone and in a merged file) counts once. */
export function collectRuns(perFile: readonly HistoryRun[][]): HistoryRun[] {
  const seen = new Set<string>();
  const runs: HistoryRun[] = [];
  for (const run of perFile.flat()) {
    const id = `${run.runId}|${run.startedAt}|${run.env.host}|${run.machineClass}`;
    if (seen.has(id)) continue;
    seen.add(id);
    runs.push(run);
  }
  return runs.sort((a, b) => a.time - b.time || (a.runId < b.runId ? -1 : 1));
}

/** All runs under the paths, in this thread (read-parallel.ts spreads large stores over threads). */
export function readHistory(paths: readonly string[], opts: ReadOptions): { runs: HistoryRun[]; files: number } {
  const files = historyFiles(paths);
  return { runs: collectRuns(files.map((f) => readHistoryFile(f, opts))), files: files.length };
}
