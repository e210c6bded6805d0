/**
 * report.html: one self-contained page for people who open reports in a browser. Charts are
 * Vega-Lite specs rendered to inline SVG when the page is written, so the page has no script, no
 * stylesheet or font to fetch, and opens from a file; a Content-Security-Policy forbids any
 * request. Every string from a suite, a model or a tool is escaped.
 */
import type { RunResults } from '../core/index.js';
import { renderSvg } from './charts/render.js';
import { reportCharts, VERDICT_COLOUR, type ChartSpec } from './charts/specs.js';
import type { ExportContext, Exporter } from './exporter.js';
import { peersSection, telemetryTable } from './html-telemetry.js';
import { accuracySection, casesTable, deviceSection, environmentSection, gateSection, htmlEscape, notesSection, perThreadSection } from './html-sections.js';

export { htmlEscape };

const STYLE = `
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222;max-width:1400px}
table{border-collapse:collapse;margin:.5em 0 1em}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}
td:first-child,th:first-child{text-align:left}th{background:#f4f4f4}
.flag{color:#a60;font-weight:600}.callout{border-left:4px solid #a60;background:#fff8e1;padding:.4em .8em}
.charts{display:flex;flex-wrap:wrap;gap:12px}figure.chart{margin:0;border:1px solid #eee;padding:6px}
figure.chart figcaption{font-size:12px;color:#555;max-width:420px}
.verdict{font-weight:600;padding:0 4px;border-radius:3px;color:#fff}
.status.s-failed,.status.s-invalid{color:#c62828;font-weight:600}.status.s-unavailable,.status.s-skipped{color:#757575}
.note.n-error{color:#c62828}.note.n-warning{color:#8a5a00}.who{font-family:monospace;font-size:12px}
${Object.entries(VERDICT_COLOUR).map(([v, c]) => `.v-${v}{background:${c}}`).join('\n')}
`;

async function figure(chart: ChartSpec): Promise<string> {
  const svg = await renderSvg(chart.spec);
  return `<figure class="chart" id="${htmlEscape(chart.id)}" data-chart="${htmlEscape(chart.id)}">${svg}<figcaption><b>${htmlEscape(chart.title)}</b>: ${htmlEscape(chart.caption)}</figcaption></figure>`;
}

async function chartBlock(charts: readonly ChartSpec[]): Promise<string> {
  const figures: string[] = [];
  for (const c of charts) figures.push(await figure(c)); // one at a time: Vega's SVG ids come from one counter
  return `<div class="charts">${figures.join('\n')}</div>`;
}

export async function renderHtml(results: RunResults, context: ExportContext = {}): Promise<string> {
  const e = htmlEscape;
  const s = results.summary;
  const charts = reportCharts(results, context);
  const p: string[] = [];
  p.push('<!doctype html>', '<html lang="en"><head><meta charset="utf-8">');
  p.push(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`);
  p.push('<meta name="viewport" content="width=device-width, initial-scale=1">', `<title>infergate ${e(results.runId)}</title>`, `<style>${STYLE}</style></head><body>`);
  p.push(`<h1>infergate run ${e(results.runId)}</h1>`);
  p.push(`<p>Suite <b>${e(results.suite.name)}</b> (${e(results.suite.file)})${results.suite.description ? `: ${e(results.suite.description)}` : ''}; ${e(results.startedAt)} to ${e(results.finishedAt)}</p>`);
  p.push(`<p>${s.total} cases: ${s.ok} ok, ${s.failed} failed, ${s.unavailable} unavailable, ${s.skipped} skipped; ${s.invalid} invalid measurements. Machine class <code>${e(results.env.machineClass)}</code>.</p>`);
  if (results.cases.some((c) => c.simulated)) p.push('<p class="callout"><b>Simulated devices</b> appear below (labelled SIMULATED): their figures come from a service-time model, not hardware.</p>');
  if (results.cases.some((c) => c.weights === 'synthetic')) p.push('<p class="callout"><b>Synthetic weights</b> (seeded, same architecture) stand in for some models: timing only, no accuracy.</p>');
  if (results.cases.some((c) => c.fakeSdk)) p.push("<p class=\"callout\"><b>FAKE SDK</b>: some cases ran on infergate's fake vendor SDKs (test doubles, not hardware); they are never compared with hardware baselines.</p>");
  if (results.gate) p.push(`<p><b>Gate:</b> ${e(results.gate.exitCode ? 'FAILED' : 'passed')} (<a href="#gate">verdicts</a>)</p>`);
  p.push(casesTable(results));
  if (charts.gate.length) p.push('<h2>Against the baseline</h2>', await chartBlock(charts.gate));
  if (charts.scaling.length) p.push('<h2 id="scaling">Throughput scaling</h2>', await chartBlock(charts.scaling));
  if (charts.latency.length) p.push('<h2 id="latency">Latency distribution</h2>', '<p>Cumulative share of calls at or below each latency (all threads pooled); dashed lines mark p50 and p99 (nearest rank).</p>', await chartBlock(charts.latency));
  if (charts.telemetry.length || results.cases.some((c) => c.telemetry?.metrics.length)) {
    p.push('<h2 id="telemetry">Telemetry during measurement</h2>', '<p>Host and device telemetry sampled during each measured window (not warm-up), against time, beside the latency of the calls ending in each interval.</p>');
    if (charts.telemetry.length) p.push(await chartBlock(charts.telemetry));
    p.push(...telemetryTable(results.cases));
  }
  p.push(...peersSection(results.cases));
  if (charts.device) p.push('<h2 id="device">Device and host time</h2>', await chartBlock([charts.device]), ...deviceSection(results.cases));
  p.push(...accuracySection(results.cases), ...notesSection(results.cases));
  if (results.gate) p.push(...gateSection(results.gate));
  p.push(...perThreadSection(results.cases), ...environmentSection(results), '</body></html>', '');
  return p.join('\n');
}

export const htmlExporter: Exporter = { id: 'html', fileName: 'report.html', render: renderHtml };
