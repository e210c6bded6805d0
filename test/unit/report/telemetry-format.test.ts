/** The telemetry and vendor-tool cells of the terminal table and reports. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { TelemetrySummary } from '../../../harness/core/index.js';
import { peerBrief, telemetryBrief } from '../../../harness/report/telemetry-format.js';

const m = (metric: string, device: string, mean: number, max = mean) => ({ metric, device, unit: '', n: 5, min: mean, mean, max }) as TelemetrySummary['metrics'][number];
const summary = (metrics: TelemetrySummary['metrics'], extra: Partial<TelemetrySummary> = {}): TelemetrySummary => ({ intervalMs: 200, samples: 5, windowSeconds: 1, sources: [], metrics, warnings: [], ...extra });

test('telemetryBrief: CPU and other processes, mean frequency, peak RSS, hottest sensor, accelerator; a fixture root is said', () => {
  const t = summary([m('cpu.util', 'all', 97.4), m('cpu.util', 'cpu0', 99), m('cpu.others', 'all', 3.2), m('cpu.freq', 'cpu0', 2400), m('cpu.freq', 'cpu1', 3000), m('temp', 'a', 50, 61.2), m('rss', 'process', 300, 312.4), m('bpu.util', 'bpu0', 88)]);
  assert.is(telemetryBrief(t), 'cpu 97% (others 3%), 2.70 GHz, rss 312 MiB, 61 C, bpu 88%');
  assert.is(telemetryBrief(summary([m('mlu.util', 'mlu0', 91), m('mlu.temp', 'mlu0', 50, 52), m('mlu.power', 'mlu0', 45.2)], { fixtureRoot: '/x' })), 'mlu 91%, mlu 52 C, 45 W (sysfs fixture)');
  assert.is(telemetryBrief(summary([])), 'no samples');
  assert.is(telemetryBrief(undefined), '-');
});

test('peerBrief: the tool\'s qps and infergate / tool, or why there is none', () => {
  assert.is(peerBrief({ tool: 'mm_run', status: 'ok', qps: 1342.54, figures: {}, ratio: { qps: 0.9712 }, warnings: [] }), 'mm_run 1342.5 img/s (x0.97)');
  assert.is(peerBrief({ tool: 'hrt_model_exec', status: 'absent', reason: 'not on PATH', figures: {}, ratio: {}, warnings: [] }), 'hrt_model_exec absent');
});

test.run();
