/**
 * `reproduce TABLE`: a published table in its own row order with a measured figure and the ratio
 * measured / published, from the newest results that hold each row's case (report/reproduction.ts
 * prints it). Accuracy rows (top-1/top-5, keyed without batch and threads) take any matching
 * case's score. A row measured on a simulated device, or on the fake lab's fake SDKs, is marked;
 * hardware results are preferred, and a fake-SDK figure is used only when nothing else has the row.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { keyMatches, metricValue, resultMachineClass, type CaseResult, type LoadedResults, type MetricId } from '../core/index.js';
import { UserError } from '../errors.js';
import { readResults } from '../report/results-file.js';
import { simulatorFor } from '../targets/catalog.js';
import { sameMachine } from './match.js';
import { loadBaselineFile, type BaselineEntryValue, type LoadedBaseline } from './schema.js';

export interface ReproducedRow {
  row: string;
  metric: MetricId;
  published: number;
  measured?: number;
  ratio?: number;
  simulated: boolean;
  /** Measured on infergate's fake vendor SDKs (the fake lab): checks the harness, not the hardware. */
  fakeSdk?: boolean;
  /** The vendor tool's figure for this row from the same case (peers), when it ran: value and vendor / published. */
  vendor?: { tool: string; version?: string; value?: number; ratio?: number; reason?: string };
  runId?: string;
  caseId?: string;
  note?: string;
}

/** The row's metric as a vendor tool of the case measured it (qps and mean latency only). */
function vendorFigure(c: CaseResult, metric: MetricId, published: number): ReproducedRow['vendor'] {
  const p = c.peers?.find((x) => x.status === 'ok') ?? c.peers?.[0];
  if (!p || (metric !== 'qps' && metric !== 'latency.mean')) return undefined;
  const value = metric === 'qps' ? p.qps : p.latencyMean;
  return {
    tool: p.tool,
    ...(p.version ? { version: p.version } : {}),
    ...(value !== undefined ? { value, ratio: value / published } : { reason: p.reason ?? `${p.tool} gave no ${metric}` }),
  };
}

export interface Reproduction {
  table: LoadedBaseline;
  title: string;
  rows: ReproducedRow[];
  runs: string[];
  /** The table's suite was just run (reproduce --run): footnotes then suggest no --run. */
  ran: boolean;
}

export function publishedTables(dirs: readonly string[]): string[] {
  const names = new Set<string>();
  for (const d of dirs) {
    const dir = join(d, 'published');
    if (existsSync(dir)) for (const f of readdirSync(dir)) if (f.endsWith('.json')) names.add(f.replace(/\.json$/, ''));
  }
  return [...names].sort();
}

/** A table by name (baselines/published/NAME.json) or by path. */
export function findTable(name: string, baselineDirs: readonly string[]): LoadedBaseline {
  if (name.endsWith('.json') && existsSync(name)) return loadBaselineFile(name);
  for (const d of baselineDirs) {
    const file = join(d, 'published', `${name}.json`);
    if (existsSync(file)) return loadBaselineFile(file);
  }
  const known = publishedTables(baselineDirs);
  throw new UserError(`reproduce: unknown table '${name}' (known: ${known.join(', ') || 'none'}); a table is a published baseline in baselines/published/.`);
}

/** Every results.json under a reports folder, newest first. */
export function findResults(reportsDir: string): LoadedResults[] {
  if (!existsSync(reportsDir)) return [];
  const found: LoadedResults[] = [];
  for (const name of readdirSync(reportsDir)) {
    const file = join(reportsDir, name, 'results.json');
    if (!existsSync(file) || !statSync(file).isFile()) continue;
    try {
      found.push(readResults(file));
    } catch {
      // An unreadable or newer results file is not this table's business; skip it.
    }
  }
  return found.sort((a, b) => (a.results.startedAt < b.results.startedAt ? 1 : a.results.startedAt > b.results.startedAt ? -1 : 0));
}

function pick(entry: BaselineEntryValue, candidates: readonly LoadedResults[]): { c: CaseResult; r: LoadedResults; simulated: boolean } | undefined {
  const usable = (c: CaseResult) => c.status === 'ok' && metricValue(c, entry.metric) !== undefined && !(c.validity && !c.validity.valid && entry.unit !== 'fraction');
  const onHardware = (fake: boolean) => {
    for (const r of candidates) {
      const c = r.results.cases.find((x) => !!x.fakeSdk === fake && keyMatches(entry.key, x.key) && usable(x) && sameMachine(entry, resultMachineClass(x, r.results.env)));
      if (c) return { c, r, simulated: c.simulated };
    }
    return undefined;
  };
  const real = onHardware(false);
  if (real) return real;
  const sim = simulatorFor(entry.key.target);
  for (const r of candidates) {
    const c = r.results.cases.find((x) => sim !== undefined && x.key.target === sim && keyMatches(entry.key, { ...x.key, target: entry.key.target }) && usable(x));
    if (c) return { c, r, simulated: true };
  }
  return onHardware(true);
}

export function reproduce(table: LoadedBaseline, candidates: readonly LoadedResults[], options: { ran?: boolean } = {}): Reproduction {
  const runs = new Set<string>();
  const rows = table.baseline.entries.map((e): ReproducedRow => {
    const found = pick(e, candidates);
    const base: ReproducedRow = { row: e.row ?? e.metric, metric: e.metric, published: e.value, simulated: false, note: e.note };
    if (!found) return base;
    const measured = metricValue(found.c, e.metric)!;
    runs.add(found.r.results.runId);
    const vendor = vendorFigure(found.c, e.metric, e.value);
    return { ...base, measured, ratio: measured / e.value, simulated: found.simulated, ...(found.c.fakeSdk ? { fakeSdk: true } : {}), ...(vendor ? { vendor } : {}), runId: found.r.results.runId, caseId: found.c.id };
  });
  return { table, title: table.baseline.table?.title ?? table.baseline.name, rows, runs: [...runs], ran: options.ran ?? false };
}
