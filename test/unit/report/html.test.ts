/** report.html: charts rendered by Vega to inline SVG, everything report.md says, notes said once. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareResults } from '../../../harness/baseline/compare.js';
import { reportCharts } from '../../../harness/report/charts/specs.js';
import { renderHtml } from '../../../harness/report/html.js';
import { measuredBaseline, okCase, results } from '../baseline/fixtures.js';
import type { CaseResult } from '../../../harness/core/index.js';

const key = (model: string, target: string, batch: number, threads: number) => ({ model, target, precision: 'force_float32' as const, batch, threads });

function matrix(): CaseResult[] {
  const cases: CaseResult[] = [];
  for (const batch of [1, 8]) for (const threads of [1, 2]) cases.push(okCase({ key: key('resnet18-v1-7', 'ort-cpu', batch, threads), qps: 50 * batch * threads, mean: 10 + batch }));
  const sim = okCase({ key: key('resnet50-v1-7', 'sim-mlu370-s4', 1, 1), notes: ['SIMULATED device: service times from the published table'] });
  sim.latency!.device = { ...sim.latency!.pooled, mean: 4 };
  const sim2 = okCase({ key: key('resnet50-v1-7', 'sim-mlu370-s4', 8, 1), notes: ['SIMULATED device: service times from the published table'] });
  sim2.validity = { valid: true, warnings: [{ code: 'drift', message: 'median latency rose 6.0% from the first to the second half (thermal, frequency or background load?)' }] };
  return [...cases, sim, sim2];
}

test('charts: a CDF per measured case from its samples, qps against threads and batch, device time', () => {
  const r = results(matrix());
  const samples = new Map([[r.cases[0]!.id, [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]]]);
  const charts = reportCharts(r, { samples });
  assert.is(charts.latency.length, r.cases.length);
  const layer = (charts.latency[0]!.spec.layer as { data: { values: { ms: number; p: number }[] } }[])[0]!;
  assert.equal(layer.data.values.map((v) => v.ms), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.is(layer.data.values.at(-1)!.p, 1);
  assert.match(charts.latency[0]!.caption, /10 calls/);
  assert.match(charts.latency[1]!.caption, /summary percentiles/);
  assert.equal(charts.scaling.map((c) => c.id), ['qps-threads', 'qps-batch']);
  assert.ok(charts.device);
  assert.equal(charts.gate, []);
});

test('the page: inline SVG with marks for every chart, no script, no external reference, notes once', async () => {
  const r = results(matrix());
  const html = await renderHtml(r, {});
  const figures = html.match(/<figure class="chart"[\s\S]*?<\/figure>/g) ?? [];
  const charts = reportCharts(r, {});
  assert.is(figures.length, charts.latency.length + charts.scaling.length + 1);
  for (const f of figures) {
    assert.match(f, /<svg [^>]*class="marks"/);
    assert.match(f, /class="mark-(line|symbol|rect|rule)/);
  }
  assert.not.match(html, /<script/i);
  assert.not.match(html, /(src|href)="(https?:)?\/\//i, 'no external reference');
  assert.match(html, /Content-Security-Policy/);
  const ids = [...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
  assert.is(new Set(ids).size, ids.length, 'element ids are unique across the inline SVGs');
  // Everything report.md has: warnings, device time, per-thread latency, environment.
  assert.match(html, /drift: median latency rose 6\.0%/);
  assert.match(html, /Device compute time/);
  assert.match(html, /Per-thread latency/);
  assert.match(html, /Test CPU x 2/);
  // A note shared by two cases is one list item naming both.
  assert.is((html.match(/service times from the published table/g) ?? []).length, 1);
});

test('with a gate: a change chart with intervals and verdict colours, and coloured verdicts in the tables', async () => {
  const base = results([okCase()]);
  const r = results([okCase({ qps: 80, mean: 12.5 })]);
  r.gate = compareResults(r, [measuredBaseline(base)]);
  const qps = r.gate.verdicts.find((v) => v.metric === 'qps')!;
  assert.is(qps.verdict, 'regressed');
  assert.ok(qps.changeCi && qps.changeCi[0] <= qps.change! && qps.change! <= qps.changeCi[1], 'the interval holds the change');
  assert.ok(qps.changeCi![1] < 0, 'a 20% drop with tight blocks: the whole interval is below zero');
  const charts = reportCharts(r, {});
  assert.equal(charts.gate.map((c) => c.id), ['gate-performance']);
  const html = await renderHtml(r);
  assert.match(html, /id="gate-performance"/);
  assert.match(html, /<span class="verdict v-regressed">regressed<\/span>/);
  assert.match(html, /fill="#c62828"/, 'regressed points drawn in the regressed colour');
});

test.run();
