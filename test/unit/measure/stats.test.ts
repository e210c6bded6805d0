import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { medianAbsoluteDeviation, outliers, percentileSorted, pool, sortedCopy, summarize, throughput } from '../../../harness/measure/stats.js';
import { assembleMeasurement } from '../../../harness/measure/measure.js';

const close = (a: number, b: number, eps = 1e-9) => assert.ok(Math.abs(a - b) <= eps, `${a} != ${b}`);

test('summary of 1..10 (shuffled) against hand-computed values', () => {
  const s = summarize([7, 3, 10, 1, 5, 2, 9, 4, 8, 6]);
  assert.is(s.n, 10);
  close(s.mean, 5.5);
  // sample sd: sqrt(sum((x - 5.5)^2) / 9) = sqrt(82.5 / 9)
  close(s.sd, Math.sqrt(82.5 / 9));
  close(s.cv, Math.sqrt(82.5 / 9) / 5.5);
  assert.is(s.min, 1);
  assert.is(s.max, 10);
  // nearest rank: x[ceil(p/100*n)-1]
  assert.is(s.p50, 5); // ceil(5) = 5th
  assert.is(s.p90, 9); // ceil(9) = 9th
  assert.is(s.p95, 10); // ceil(9.5) = 10th
  assert.is(s.p99, 10);
  assert.is(s.p999, 10);
});

test('nearest-rank percentiles of 1..1000 are observed values, no interpolation', () => {
  const sorted = Float64Array.from({ length: 1000 }, (_, i) => i + 1);
  assert.is(percentileSorted(sorted, 50), 500);
  assert.is(percentileSorted(sorted, 90), 900);
  assert.is(percentileSorted(sorted, 99), 990);
  assert.is(percentileSorted(sorted, 99.9), 999);
  assert.is(percentileSorted(sorted, 100), 1000);
  assert.is(percentileSorted(sorted, 0), 1);
  // 4 samples: p50 = 2nd (ceil 2), p75 = 3rd, p76 = 4th
  const four = Float64Array.from([10, 20, 30, 40]);
  assert.is(percentileSorted(four, 50), 20);
  assert.is(percentileSorted(four, 75), 30);
  assert.is(percentileSorted(four, 76), 40);
});

test('one sample and no samples', () => {
  const one = summarize([4.25]);
  assert.is(one.n, 1);
  assert.is(one.mean, 4.25);
  assert.is(one.sd, 0);
  assert.is(one.p99, 4.25);
  const none = summarize([]);
  assert.is(none.n, 0);
  assert.ok(Number.isNaN(none.mean));
});

test('pooled statistics concatenate threads', () => {
  const pooled = summarize(pool([[1, 2, 3], [4, 5]]));
  assert.is(pooled.n, 5);
  close(pooled.mean, 3);
  assert.is(pooled.max, 5);
});

test('qps = completed calls x batch / (last end - first start) across threads', () => {
  const t = throughput(
    [
      { completed: 10, firstStartMs: 1000, lastEndMs: 2000 },
      { completed: 8, firstStartMs: 1010, lastEndMs: 2100 },
    ],
    4,
  );
  assert.is(t.completed, 18);
  assert.is(t.images, 72);
  close(t.wallSeconds, 1.1);
  close(t.qps, 72 / 1.1);
  // A thread with no completed calls does not stretch the window.
  const idle = throughput([{ completed: 5, firstStartMs: 0, lastEndMs: 500 }, { completed: 0, firstStartMs: NaN, lastEndMs: NaN }], 1);
  close(idle.qps, 10);
});

test('assembleMeasurement derives latency from call timelines and the qps rule', () => {
  const starts = Float64Array.from([0, 10, 20, 30]);
  const ends = Float64Array.from([8, 19, 27, 40]);
  const m = assembleMeasurement(
    [{ index: 0, starts, ends, stoppedBy: 'policy' }],
    [{ sessionCreateMs: 5, firstCallMs: 9, warmupCalls: 2 }],
    2,
    { warmupSeconds: 0, warmupIterations: 0, minSeconds: 0.01, minIterations: 4, maxSeconds: 1 },
  );
  assert.equal(Array.from(m.threads[0]!.samples), [8, 9, 7, 10]);
  close(m.pooled.mean, 8.5);
  close(m.throughput.wallSeconds, 0.04);
  close(m.throughput.qps, (4 * 2) / 0.04);
  assert.ok(m.validity.valid);
});

test('MAD and modified z-score outliers against hand-computed values', () => {
  // 1..9 plus 100: median 5 (nearest rank: 5th of 10), |x - 5| sorted = 0,1,1,2,2,3,3,4,4,95 -> MAD = 2
  const xs = [1, 2, 3, 4, 5, 6, 7, 8, 9, 100];
  assert.is(medianAbsoluteDeviation(sortedCopy(xs)), 2);
  // z(100) = 95 / (1.4826 * 2) = 32.0 > 14.8; z(9) = 1.35
  const o = outliers(sortedCopy(xs));
  assert.is(o.count, 1);
  assert.is(o.max, 100);
  assert.is(o.mad, 2);
  assert.is(outliers(sortedCopy([5, 5, 5, 5])).count, 0, 'zero spread: no outliers claimed');
});

test.run();
