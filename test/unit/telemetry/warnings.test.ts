/** Evidence-based telemetry warnings, and the evidence added to drift and high-CV warnings. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Validity } from '../../../harness/core/index.js';
import type { Series } from '../../../harness/telemetry/sampler.js';
import { summarizeSeries } from '../../../harness/telemetry/summary.js';
import { explainValidity, telemetryWarnings } from '../../../harness/telemetry/warnings.js';

const s = (metric: Series['metric'], device: string, values: number[], extra: Partial<Series> = {}): Series => ({
  metric,
  device,
  unit: '',
  source: 'host',
  rate: metric.endsWith('util') || metric === 'cpu.others',
  points: values.map((v, i) => ({ t: (i + 1) * 200, v })),
  ...extra,
});
const ctx = (series: Series[], threads = 1, batch = 1) => ({ series, metrics: summarizeSeries(series), threads, batch, cores: 2 });
const codes = (series: Series[], threads = 1, batch = 1) => telemetryWarnings(ctx(series, threads, batch)).map((w) => w.code);

test('frequency below its maximum: more than 10% of the busy samples below 95% of the maximum', () => {
  const busy = s('cpu.util', 'cpu0', Array(10).fill(100));
  assert.equal(codes([busy, s('cpu.freq', 'cpu0', [3000, 3000, 3000, 3000, 3000, 3000, 3000, 3000, 3000, 2000], { ceiling: 3000 })]), []); // 10%: not more
  const w = telemetryWarnings(ctx([busy, s('cpu.freq', 'cpu0', [3000, 3000, 3000, 3000, 3000, 3000, 3000, 3000, 2000, 2000], { ceiling: 3000 })]));
  assert.is(w[0]!.code, 'frequency-below-max');
  assert.match(w[0]!.message, /cpu0 below its maximum 3000 MHz in 20% of its busy samples \(mean 2000 MHz there\)/);
  // An idle core resting at a low clock is no evidence of anything.
  assert.equal(codes([s('cpu.util', 'cpu0', Array(10).fill(5)), s('cpu.freq', 'cpu0', Array(10).fill(800), { ceiling: 3000 })]), []);
});

test('temperature rising by more than 10 C; host busy with other processes; accelerator idle in a throughput case only', () => {
  assert.equal(codes([s('temp', 'x86_pkg_temp', [50, 51, 55, 58, 62, 63])]), ['temperature-rise']);
  assert.equal(codes([s('temp', 'x86_pkg_temp', [50, 52, 55, 56, 57, 58])]), []);
  assert.equal(codes([s('cpu.others', 'all', [30, 40, 35])]), ['host-busy']);
  assert.equal(codes([s('cpu.others', 'all', [3, 4, 5])]), []);
  const bpu = s('bpu.util', 'bpu0', [60, 70, 65]);
  assert.equal(codes([bpu], 1, 1), []);
  const w = telemetryWarnings(ctx([bpu], 4, 1));
  assert.is(w[0]!.code, 'accelerator-idle');
  assert.match(w[0]!.message, /BPU utilisation averaged 65\.0% .*add threads or batch/);
  assert.equal(codes([s('mlu.util', 'mlu0', [95, 97])], 1, 8), []);
});

test('explainValidity: drift and high CV cite the telemetry that explains them, or say what it watched and saw nothing', () => {
  const validity: Validity = { valid: true, warnings: [{ code: 'drift', message: 'median latency rose 8%' }, { code: 'outliers', message: '3 outlier calls', count: 3 }] };
  const busy = telemetryWarnings(ctx([s('cpu.others', 'all', [30, 40, 35])]));
  const explained = explainValidity(validity, busy, ctx([s('cpu.others', 'all', [30, 40, 35])]).metrics);
  assert.match(explained.warnings[0]!.message, /^median latency rose 8%; telemetry: other processes kept 35\.0% of the host's 2 cores busy/);
  assert.is(explained.warnings[0]!.evidence, explained.warnings[0]!.message.slice('median latency rose 8%; '.length));
  assert.is(explained.warnings[1]!.evidence, undefined); // outliers are not explained this way
  const quiet = explainValidity(validity, [], ctx([s('cpu.others', 'all', [1, 2, 1])]).metrics);
  assert.is(quiet.warnings[0]!.evidence, 'telemetry saw no other busy process in the window (this host shows no frequency or temperature)');
  assert.equal(explainValidity(validity, [], []), validity); // no telemetry, no claim
});

test.run();
