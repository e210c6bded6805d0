/**
 * `reproduce TABLE`: a published table in its own row order with a measured column and the ratio
 * measured / published, from the newest results that hold each row's case. A row measured on a
 * simulated device says SIMULATED; hardware results are preferred wherever they exist.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { caseMachineClass } from '../env/fingerprint.js';
import { mdEscape } from '../report/markdown.js';
import { readResults, type CaseResult, type LoadedResults } from '../report/results.js';
import { keyMatches, sameMachine } from './compare.js';
import { formatMetricValue, metricValue, type MetricId } from './metrics.js';
import { loadBaselineFile, type BaselineEntryValue, type LoadedBaseline } from './schema.js';

export interface ReproducedRow {
  row: string;
  metric: MetricId;
  published: number;
  measured?: number;
  ratio?: number;
  simulated: boolean;
  runId?: string;
  caseId?: string;
  note?: string;
}

export interface Reproduction {
  table: LoadedBaseline;
  title: string;
  rows: ReproducedRow[];
  runs: string[];
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
  for (const r of candidates) {
    const c = r.results.cases.find((x) => keyMatches(entry.key, x.key) && usable(x) && sameMachine(entry, caseMachineClass(x.target, r.results.env)));
    if (c) return { c, r, simulated: c.simulated };
  }
  const sim = `sim-${entry.key.target}`;
  for (const r of candidates) {
    const c = r.results.cases.find((x) => x.key.target === sim && keyMatches(entry.key, x.key, entry.key.target) && usable(x));
    if (c) return { c, r, simulated: true };
  }
  return undefined;
}

export function reproduce(table: LoadedBaseline, candidates: readonly LoadedResults[]): Reproduction {
  const runs = new Set<string>();
  const rows = table.baseline.entries.map((e): ReproducedRow => {
    const found = pick(e, candidates);
    const base: ReproducedRow = { row: e.row ?? e.metric, metric: e.metric, published: e.value, simulated: false, note: e.note };
    if (!found) return base;
    const measured = metricValue(found.c, e.metric)!;
    runs.add(found.r.results.runId);
    return { ...base, measured, ratio: measured / e.value, simulated: found.simulated, runId: found.r.results.runId, caseId: found.c.id };
  });
  return { table, title: table.baseline.table?.title ?? table.baseline.name, rows, runs: [...runs] };
}

function cells(r: ReproducedRow): string[] {
  return [
    r.row,
    formatMetricValue(r.metric, r.published),
    r.measured === undefined ? 'not measured' : `${formatMetricValue(r.metric, r.measured)}${r.simulated ? ' SIMULATED' : ''}`,
    r.ratio === undefined ? '-' : r.ratio.toFixed(3),
  ];
}

export function renderReproductionText(rep: Reproduction): string {
  const header = ['row', 'published', 'measured', 'measured/published'];
  const rows = rep.rows.map(cells);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
  const p = rep.table.baseline.provenance;
  const out = [rep.title, `source: ${p.type === 'published' ? `${p.document}, ${p.table}` : 'measured baseline'}`, '', line(header), ...rows.map(line), ''];
  out.push(...footnotes(rep));
  return out.join('\n') + '\n';
}

function footnotes(rep: Reproduction): string[] {
  const out: string[] = [];
  if (rep.rows.some((r) => r.simulated)) out.push('SIMULATED: measured on a simulated device whose service times come from this very table; it checks the harness, not the hardware.');
  if (rep.rows.some((r) => r.measured === undefined)) out.push(`not measured: no results with that case yet (run the table's suite${rep.table.baseline.table?.suite ? ` ${rep.table.baseline.table.suite}` : ''}, or pass --run).`);
  if (rep.runs.length) out.push(`measured in: ${rep.runs.join(', ')}`);
  for (const note of new Set(rep.rows.map((r) => r.note).filter((n): n is string => !!n))) out.push(`note: ${note}`);
  return out;
}

export function renderReproductionMarkdown(rep: Reproduction): string {
  const p = rep.table.baseline.provenance;
  const out = [`## ${mdEscape(rep.title)}`, '', p.type === 'published' ? `Source: ${mdEscape(p.document)}, ${mdEscape(p.table)}${p.commit ? ` (commit ${mdEscape(p.commit)})` : ''}.` : 'Source: measured baseline.', ''];
  out.push('| row | published | measured | measured / published |', '| --- | ---: | ---: | ---: |');
  for (const r of rep.rows) out.push(`| ${cells(r).map(mdEscape).join(' | ')} |`);
  out.push('', ...footnotes(rep).map((f) => `- ${mdEscape(f)}`), '');
  return out.join('\n');
}
