/**
 * history.html: one self-contained page (inline SVG, no scripts, nothing fetched) with one trend
 * chart per case and metric: a line per machine class over the runs' start times, each step a
 * red rule labelled with the first run after it, and a table naming the runs and what changed.
 * Charts are Vega-Lite specs rendered to SVG by Vega on the server side (renderer 'none'). One
 * Vega view per chart shape is reused for every case (only its data changes): parsing a spec
 * costs far more than rendering one, and a lab has hundreds of cases.
 */
import type { View } from 'vega';
import { htmlEscape as e } from '../report/html.js';
import type { HistoryReport, HistorySeries } from './schema.js';
import { changeText, envText, pText } from './table.js';

interface Renderer {
  views: Map<string, View>;
  vega: typeof import('vega');
  vl: typeof import('vega-lite');
}

/** Loaded on first use: the terminal table and --json never pay for Vega. */
async function renderer(): Promise<Renderer> {
  const [vega, vl] = await Promise.all([import('vega'), import('vega-lite')]);
  return { views: new Map(), vega, vl };
}

function chartSpec(yTitle: string, points: boolean, format: string): object {
  const x = { field: 'time', type: 'temporal', title: 'run start (UTC)', scale: { type: 'utc' }, axis: { format } };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 720,
    height: 200,
    config: { font: 'sans-serif', legend: { orient: 'bottom' } },
    layer: [
      {
        data: { name: 'points' },
        mark: { type: 'line', point: points ? { size: 20 } : false, strokeWidth: 1.5 },
        encoding: { x, y: { field: 'value', type: 'quantitative', title: yTitle, scale: { zero: false } }, color: { field: 'machine', type: 'nominal', title: 'machine class' } },
      },
      { data: { name: 'steps' }, mark: { type: 'rule', color: '#c00', strokeDash: [4, 3] }, encoding: { x } },
      { data: { name: 'steps' }, mark: { type: 'text', color: '#c00', align: 'left', baseline: 'top', dx: 3, y: 2, fontSize: 10 }, encoding: { x, text: { field: 'label' } } },
    ],
  };
}

async function chartSvg(r: Renderer, group: HistorySeries[]): Promise<string> {
  const first = group[0]!;
  const total = group.reduce((n, s) => n + s.points.length, 0);
  const points = total <= 200; // markers on short series only: 1,000 circles a chart bloat the page
  const yTitle = `${first.metric} (${first.unit})`;
  const times = group.flatMap((s) => s.points.map((p) => Date.parse(p.startedAt)));
  // Nightly runs read as dates; runs minutes apart (a test, a rerun) need the time of day.
  const format = Math.max(...times) - Math.min(...times) > 2 * 86_400_000 ? '%Y-%m-%d' : '%m-%d %H:%M';
  const key = `${yTitle}|${points}|${format}`;
  let view = r.views.get(key);
  if (!view) {
    view = new r.vega.View(r.vega.parse(r.vl.compile(chartSpec(yTitle, points, format) as never).spec), { renderer: 'none' });
    r.views.set(key, view);
  }
  const rows = group.flatMap((s) => s.points.filter((p) => p.value !== undefined).map((p) => ({ time: Date.parse(p.startedAt), value: p.value, machine: s.machineClass })));
  const steps = group.flatMap((s) => s.steps.map((st) => ({ time: Date.parse(st.startedAt), label: `${st.runId} ${changeText(st, s)}` })));
  const all = r.vega.truthy;
  view.change('points', r.vega.changeset().remove(all).insert(rows));
  view.change('steps', r.vega.changeset().remove(all).insert(steps));
  await view.runAsync();
  return view.toSVG();
}

const row = (cells: string[], tag = 'td') => `<tr>${cells.map((c) => `<${tag}>${c}</${tag}>`).join('')}</tr>`;

export async function renderHistoryHtml(report: HistoryReport): Promise<string> {
  const r = await renderer();
  const charts = new Map<string, HistorySeries[]>();
  for (const s of report.series) {
    const id = `${s.caseId}\u0000${s.metric}`;
    if (!charts.has(id)) charts.set(id, []);
    charts.get(id)!.push(s);
  }
  const steps = report.series.flatMap((s) => s.steps.map((st) => ({ s, st })));
  const out: string[] = [];
  out.push('<!doctype html>', '<html lang="en"><head><meta charset="utf-8"><title>infergate history</title>');
  out.push('<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}.sim{color:#a60}.reg{color:#c00}.imp{color:#070}svg{display:block}</style></head><body>');
  out.push('<h1>infergate history</h1>');
  out.push(
    `<p>${report.series.length} series from ${report.runs} runs (${report.files} results files); ${steps.length} step${steps.length === 1 ? '' : 's'}. ` +
      `A step needs a change of the median beyond the practical threshold and a Mann-Whitney U test at alpha ${report.alpha} over the block values of the runs before vs after (the gate's rule).</p>`,
  );
  if (steps.length) {
    out.push('<h2>Steps</h2><table>', row(['machine class', 'case', 'metric', 'first run after', 'change', 'p', 'environment change'], 'th'));
    for (const { s, st } of steps) {
      const cls = st.direction === 'regressed' ? 'reg' : 'imp';
      out.push(row([e(s.machineClass), e(s.caseId), e(s.metric), `${e(st.runId)}<br>${e(st.startedAt)}`, `<span class="${cls}">${e(changeText(st, s))} ${st.direction}</span>`, e(pText(st.p).replace(/^=/, '')), e(envText(st))]));
    }
    out.push('</table>');
  }
  for (const group of charts.values()) {
    const first = group[0]!;
    const classes = group.map((s) => s.machineClass).join(', ');
    out.push(`<h2>${e(first.caseId)} <small>${e(first.metric)}</small>${first.simulated ? ' <span class="sim">SIMULATED</span>' : ''}</h2>`);
    out.push(`<p>machine class${group.length > 1 ? 'es' : ''}: ${e(classes)}; ${group.reduce((n, s) => n + s.points.length, 0)} runs</p>`);
    out.push(await chartSvg(r, group));
    const marked = group.flatMap((s) => s.steps.map((st) => ({ s, st })));
    const excluded = group.flatMap((s) => s.points.filter((p) => p.excluded).map((p) => ({ s, p })));
    if (marked.length) {
      out.push('<table>', row(['step', 'machine class', 'first run after', 'last run before', 'median before -> after', 'environment change'], 'th'));
      marked.forEach(({ s, st }, i) => out.push(row([`${i + 1}: ${e(changeText(st, s))} ${st.direction}`, e(s.machineClass), `${e(st.runId)} (${e(st.startedAt)})`, e(st.previousRunId), `${st.before.toPrecision(5)} -> ${st.after.toPrecision(5)}`, e(envText(st))])));
      out.push('</table>');
    }
    if (excluded.length) out.push(`<p>not fitted: ${excluded.map(({ s, p }) => `${e(p.runId)} (${e(s.machineClass)}: ${e(p.excluded ?? '')})`).join(', ')}</p>`);
  }
  out.push('</body></html>', '');
  for (const v of r.views.values()) v.finalize();
  return out.join('\n');
}
