/**
 * report.html: one self-contained page (no scripts, no external assets) for people who open
 * reports in a browser. Every string from a suite, a model or a tool is escaped.
 */
import type { Exporter } from './exporter.js';
import { caseFlags, caseLabel, fixed, percent, statusText } from './format.js';
import { changeText, valueText, verdictMatrix } from './gate-format.js';
import type { RunResults } from '../core/index.js';

export function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

const row = (cells: string[], tag = 'td') => `<tr>${cells.map((c) => `<${tag}>${c}</${tag}>`).join('')}</tr>`;

export function renderHtml(results: RunResults): string {
  const e = htmlEscape;
  const s = results.summary;
  const parts: string[] = [];
  parts.push('<!doctype html>', '<html lang="en"><head><meta charset="utf-8">', `<title>infergate ${e(results.runId)}</title>`);
  parts.push('<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}td:first-child,th:first-child{text-align:left}.flag{color:#a60}</style></head><body>');
  parts.push(`<h1>infergate run ${e(results.runId)}</h1>`);
  parts.push(`<p>Suite <b>${e(results.suite.name)}</b> (${e(results.suite.file)})${results.suite.description ? `: ${e(results.suite.description)}` : ''}</p>`);
  parts.push(`<p>${s.total} cases: ${s.ok} ok, ${s.failed} failed, ${s.unavailable} unavailable, ${s.skipped} skipped; ${s.invalid} invalid measurements. Machine class <code>${e(results.env.machineClass)}</code>.</p>`);
  parts.push('<table>', row(['case', 'status', 'qps', 'mean ms', 'p50 ms', 'p99 ms', 'CV', 'top-1', 'top-5', 'labels'], 'th'));
  for (const c of results.cases) {
    const l = c.latency?.pooled;
    const acc = (k: 'top1' | 'top5') => (c.accuracy?.status === 'ok' ? percent(c.accuracy[k]?.value, 2) : '-');
    parts.push(row([e(c.id), e(statusText(c)), fixed(c.throughput?.qps), fixed(l?.mean, 3), fixed(l?.p50, 3), fixed(l?.p99, 3), percent(l?.cv), acc('top1'), acc('top5'), `<span class="flag">${e(caseFlags(c).join(', '))}</span>`]));
  }
  parts.push('</table>');
  if (results.cases.some((c) => c.fakeSdk)) parts.push("<p class=\"flag\"><b>FAKE SDK</b>: some cases ran on infergate's fake vendor SDKs (test doubles, not hardware); never compared with hardware baselines.</p>");
  const encodings = results.cases.filter((c) => c.accuracy?.encoding);
  if (encodings.length) {
    parts.push('<h2>Input encoding of scored cases</h2><ul>');
    for (const c of encodings) parts.push(`<li>${e(c.id + caseLabel(c))}: ${e(c.accuracy!.encoding!)}${(c.accuracy!.warnings ?? []).map((w) => `<br><b>warning</b>: ${e(w)}`).join('')}</li>`);
    parts.push('</ul>');
  }
  const errors = results.cases.filter((c) => c.error || c.notes.length);
  if (errors.length) {
    parts.push('<h2>Notes and errors</h2><ul>');
    for (const c of errors) {
      if (c.error) parts.push(`<li><b>${e(c.id)}</b> ${e(c.error.kind)}: ${e(c.error.message)}</li>`);
      for (const n of c.notes) parts.push(`<li>${e(c.id)}: ${e(n)}</li>`);
    }
    parts.push('</ul>');
  }
  if (results.gate) {
    const matrix = verdictMatrix(results.gate);
    parts.push('<h2>Gate against baselines</h2><table>', row(['case', 'verdict', ...matrix.metrics.map(e)], 'th'));
    for (const r of matrix.rows) parts.push(row([e(r.caseId + (r.simulated ? ' (SIMULATED)' : '')), e(r.verdict), ...r.byMetric.map((v) => e(v ?? '-'))]));
    parts.push('</table><table>', row(['case', 'metric', 'verdict', 'baseline', 'current', 'change', 'test', 'why'], 'th'));
    for (const v of results.gate.verdicts) {
      parts.push(row([e(v.caseId + caseLabel(v)), e(v.metric), e(v.verdict), e(valueText(v, 'baseline')), e(valueText(v, 'current')), e(changeText(v)), e(v.test), e(v.reason)]));
    }
    parts.push('</table>');
  }
  parts.push(`<p>percentile: ${e(results.definitions.percentile)}<br>throughput: ${e(results.definitions.throughput)}</p>`, '</body></html>', '');
  return parts.join('\n');
}

export const htmlExporter: Exporter = { id: 'html', fileName: 'report.html', render: renderHtml };
