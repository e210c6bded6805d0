/** A reproduced published table as text or Markdown: published | measured | ratio, with its footnotes. */
import type { Reproduction, ReproducedRow } from '../baseline/reproduce.js';
import { formatMetricValue, mdEscape } from './format.js';

function cells(r: ReproducedRow): string[] {
  return [
    r.row,
    formatMetricValue(r.metric, r.published),
    r.measured === undefined ? 'not measured' : `${formatMetricValue(r.metric, r.measured)}${r.simulated ? ' SIMULATED' : ''}${r.fakeSdk ? ' FAKE SDK' : ''}`,
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
  if (rep.runs.length) out.push(`measured in: ${rep.runs.join(', ')}`);
  for (const note of new Set(rep.rows.map((r) => r.note).filter((n): n is string => !!n))) out.push(`note: ${note}`);
  return out;
}

export function renderReproductionMarkdown(rep: Reproduction): string {
  const p = rep.table.baseline.provenance;
  const out = [`## ${mdEscape(rep.title)}`, '', p.type === 'published' ? `Source: ${mdEscape(p.document)}, ${mdEscape(p.table)}${p.commit ? ` (commit ${mdEscape(p.commit)})` : ''}.` : 'Source: measured baseline.', ''];
  out.push('| row | published | measured | measured / published |', '| --- | ---: | ---: | ---: |');
  for (const r of rep.rows) out.push(`| ${cells(r).map(mdEscape).join(' | ')} |`);
  out.push('', ...reproductionFootnotes(rep).map((f) => `- ${mdEscape(f)}`), '');
  return out.join('\n');
}
