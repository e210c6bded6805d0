/** The sampler: polls on demand and at stop, keeps a failing source's reason, and the window cut that drops warm-up. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startSampler, trimToWindow, type Series } from '../../../harness/telemetry/sampler.js';
import type { TelemetrySource } from '../../../harness/telemetry/source.js';
import { latencyByInterval } from '../../../harness/telemetry/file.js';
import { summarizeSeries } from '../../../harness/telemetry/summary.js';

const series = (rate: boolean, points: { t: number; since?: number; v: number }[]): Series => ({ metric: rate ? 'cpu.util' : 'cpu.freq', device: 'cpu0', unit: rate ? '%' : 'MHz', source: 'host', rate, points });

test('trimToWindow: instants inside the window; rates only when most of their interval is inside (warm-up is out)', () => {
  const rate = series(true, [
    { since: 0, t: 200, v: 10 }, // warm-up
    { since: 200, t: 400, v: 20 }, // 150 of 200 ms inside: kept
    { since: 400, t: 600, v: 30 },
    { since: 600, t: 800, v: 40 }, // 50 of 200 ms inside: dropped
  ]);
  const inst = series(false, [{ t: 100, v: 1 }, { t: 300, v: 2 }, { t: 650, v: 3 }]);
  const [r, i] = trimToWindow([rate, inst], 250, 650);
  assert.equal(r!.points.map((p) => p.v), [20, 30]);
  assert.equal(i!.points.map((p) => p.v), [2, 3]);
  // A series with nothing inside disappears (its metric is then absent, not zero).
  assert.is(trimToWindow([series(false, [{ t: 1, v: 1 }])], 10, 20).length, 0);
});

test('sampler: sampleNow and stop poll the sources; a source that throws keeps its first reason and count, the others still count', async () => {
  let n = 0;
  const good: TelemetrySource = { id: 'host', from: 'test', minIntervalMs: 0, poll: () => [{ metric: 'rss', device: 'process', value: ++n }] };
  const bad: TelemetrySource = { id: 'cnmon', from: 'cnmon', minIntervalMs: 0, poll: () => Promise.reject(new Error('cnmon info -u printed no utilisation (MLU Average) line')) };
  const s = startSampler([good, bad], 60_000);
  s.sampleNow();
  await new Promise((r) => setImmediate(r)); // the failed poll has settled: the source is free again
  const out = await s.stop();
  assert.equal(out.series[0]!.points.map((p) => p.v), [1, 2]);
  assert.is(out.failures.length, 1);
  assert.is(out.failures[0]!.source, bad);
  assert.is(out.failures[0]!.count, 2);
  assert.match(out.failures[0]!.reason, /printed no utilisation/);
  assert.is(out.ticks.length, 2);
});

test('sampler: a partial result (some cnmon flags parsed) is kept beside the failure', async () => {
  const partial: TelemetrySource = {
    id: 'cnmon',
    from: 'cnmon',
    minIntervalMs: 0,
    poll: () => Promise.reject(Object.assign(new Error('cnmon info -p timed out'), { partial: [{ metric: 'mlu.util', device: 'mlu0', value: 80, rate: true }] })),
  };
  const s = startSampler([partial], 60_000);
  s.sampleNow();
  const out = await s.stop();
  assert.is(out.series.find((x) => x.metric === 'mlu.util')!.points[0]!.v, 80);
  assert.match(out.failures[0]!.reason, /timed out/);
});

test('summarizeSeries: min/mean/max per metric and device with the ceiling', () => {
  const [m] = summarizeSeries([{ ...series(false, [{ t: 1, v: 2000 }, { t: 2, v: 3000 }]), ceiling: 3000 }]);
  assert.equal(m, { metric: 'cpu.freq', device: 'cpu0', unit: 'MHz', n: 2, min: 2000, mean: 2500, max: 3000, ceiling: 3000 });
});

test('latencyByInterval: mean latency of the calls ending in each interval, all threads', () => {
  const bins = latencyByInterval(
    [
      { samples: [1, 3], ends: [1050, 1150] },
      { samples: [5, 7], ends: [1120, 1390] },
    ],
    1000,
    1400,
    100,
  );
  assert.equal(bins, { t: [0, 0.1, 0.3], meanMs: [1, 4, 7], calls: [1, 2, 1] });
});

test.run();
