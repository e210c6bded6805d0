/**
 * A reproduced published table as text or Markdown: published | vendor tool | infergate, each
 * with its ratio to the published figure, so a gap to the table shows at once as the board's (the
 * vendor tool sees it too) or the harness's (only infergate does).
 */
import type { Reproduction, ReproducedRow } from '../baseline/reproduce.js';
import { formatMetricValue, mdEscape } from './format.js';

const labels = (r: ReproducedRow) => `${r.simulated ? ' SIMULATED' : ''}${r.fakeSdk ? ' FAKE SDK' : ''}`;

function vendorCell(r: ReproducedRow): string {
  if (!r.vendor) return '-';
  if (r.vendor.value === undefined) return `${r.vendor.tool}: none`;
  return `${formatMetricValue(r.metric, r.vendor.value)} (${r.vendor.tool}${r.vendor.version ? ` ${r.vendor.version}` : ''})${labels(r)}`;
}

function cells(r: ReproducedRow, withVendor: boolean): string[] {
  return [
    r.row,
    formatMetricValue(r.metric, r.published),
    ...(withVendor ? [vendorCell(r), r.vendor?.ratio === undefined ? '-' : r.vendor.ratio.toFixed(3)] : []),
    r.measured === undefined ? 'not measured' : `${formatMetricValue(r.metric, r.measured)}${labels(r)}`,
    r.ratio === undefined ? '-' : r.ratio.toFixed(3),
  ];
}

function header(withVendor: boolean): string[] {
  return ['row', 'published', ...(withVendor ? ['vendor tool', 'tool/published'] : []), withVendor ? 'infergate' : 'measured', withVendor ? 'infergate/published' : 'measured/published'];
}

/** Every table shows the three-way columns (published | vendor tool | infergate); '-' where no tool ran. */
const hasVendor = (_rep: Reproduction) => true;

export function renderReproductionText(rep: Reproduction): string {
  const v = hasVendor(rep);
  const head = header(v);
  const rows = rep.rows.map((r) => cells(r, v));
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
  const p = rep.table.baseline.provenance;
  const out = [rep.title, `source: ${p.type === 'published' ? `${p.document}, ${p.table}` : 'measured baseline'}`, '', line(head), ...rows.map(line), ''];
  out.push(...reproductionFootnotes(rep));
  return out.join('\n') + '\n';
}

export function reproductionFootnotes(rep: Reproduction): string[] {
  const out: string[] = [];
  if (rep.rows.some((r) => r.simulated)) out.push('SIMULATED: measured on a simulated device whose service times come from this very table; it checks the harness, not the hardware.');
  if (rep.rows.some((r) => r.fakeSdk)) out.push("FAKE SDK: measured on infergate's fake vendor SDKs (the fake lab, test doubles): it checks the harness, not the hardware.");
  if (rep.rows.some((r) => r.measured === undefined)) {
    const suite = rep.table.baseline.table?.suite ? ` ${rep.table.baseline.table.suite}` : '';
    out.push(rep.ran ? 'not measured: the suite just run has no case for that row.' : `not measured: no results with that case yet (run the table's suite${suite}, or pass --run).`);
  }
  if (rep.rows.some((r) => r.vendor)) {
    out.push("vendor tool: the vendor's own benchmark (mm_run, hrt_model_exec) run by infergate on the same artifact, threads and batch right after measuring, by the tool's own definitions.");
    for (const r of rep.rows.filter((x) => x.vendor?.reason)) out.push(`vendor tool, ${r.row}: ${r.vendor!.reason}`);
  } else if (rep.rows.some((r) => r.measured !== undefined && (r.metric === 'qps' || r.metric === 'latency.mean'))) {
    out.push("vendor tool: none ran for these results (add `peers: [mm_run]` or `peers: [hrt_model_exec]` to the suite to run the vendor's own benchmark beside infergate's).");
  }
  if (rep.runs.length) out.push(`measured in: ${rep.runs.join(', ')}`);
  for (const note of new Set(rep.rows.map((r) => r.note).filter((n): n is string => !!n))) out.push(`note: ${note}`);
  return out;
}

export function renderReproductionMarkdown(rep: Reproduction): string {
  const p = rep.table.baseline.provenance;
  const out = [`## ${mdEscape(rep.title)}`, '', p.type === 'published' ? `Source: ${mdEscape(p.document)}, ${mdEscape(p.table)}${p.commit ? ` (commit ${mdEscape(p.commit)})` : ''}.` : 'Source: measured baseline.', ''];
  const v = hasVendor(rep);
  const head = header(v);
  out.push(`| ${head.join(' | ')} |`, `| --- | ${head.slice(1).map(() => '---:').join(' | ')} |`);
  for (const r of rep.rows) out.push(`| ${cells(r, v).map(mdEscape).join(' | ')} |`);
  out.push('', ...reproductionFootnotes(rep).map((f) => `- ${mdEscape(f)}`), '');
  return out.join('\n');
}
