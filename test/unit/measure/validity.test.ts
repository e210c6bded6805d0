import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { summarize } from '../../../harness/measure/stats.js';
import { assessValidity, baselineObjections } from '../../../harness/measure/validity.js';

const steady = (n: number, v = 10) => Array.from({ length: n }, (_, i) => v + (i % 3) * 0.01);

function check(threads: number[][], opts: Partial<{ wall: number; minSeconds: number; minIterations: number; stoppedByMax: boolean }> = {}) {
  return assessValidity({
    perThreadOrdered: threads,
    pooled: summarize(threads.flat()),
    wallSeconds: opts.wall ?? 5,
    minSeconds: opts.minSeconds ?? 5,
    minIterations: opts.minIterations ?? 100,
    stoppedByMax: opts.stoppedByMax ?? false,
  });
}
const codes = (v: ReturnType<typeof check>) => v.warnings.map((w) => w.code);

test('a steady, long enough measurement is valid without warnings', () => {
  const v = check([steady(200), steady(200)]);
  assert.ok(v.valid);
  assert.equal(codes(v), []);
});

test('fewer calls than minIterations is invalid', () => {
  const v = check([steady(200), steady(50)], { stoppedByMax: true });
  assert.not.ok(v.valid);
  assert.ok(codes(v).includes('too-few-samples'));
  assert.ok(codes(v).includes('stopped-at-max-duration'));
  assert.ok(codes(v).includes('thread-imbalance'));
});

test('shorter than minDuration is invalid', () => {
  const v = check([steady(200)], { wall: 2 });
  assert.not.ok(v.valid);
  assert.ok(codes(v).includes('short-duration'));
});

test('drift between the halves is flagged', () => {
  const v = check([[...steady(100, 10), ...steady(100, 11)]]);
  assert.ok(v.valid);
  assert.ok(codes(v).includes('drift'));
  assert.match(v.warnings.find((w) => w.code === 'drift')!.message, /rose 10\.0%/);
});

test('one stall is an outlier, not a noisy machine', () => {
  const calls = steady(500);
  calls[250] = 100;
  const v = check([calls]);
  assert.ok(v.valid);
  assert.equal(codes(v), ['outliers']);
  assert.match(v.warnings[0]!.message, /1 outlier call \(slowest 100\.00 ms against a median of 10\.01 ms\)/);
});

test('high CV and few tail samples are flagged', () => {
  const noisy = Array.from({ length: 60 }, (_, i) => (i % 2 ? 5 : 15));
  const v = check([noisy], { minIterations: 10 });
  assert.ok(codes(v).includes('high-cv'));
  assert.ok(codes(v).includes('few-tail-samples'));
});

test('baseline objections: noise, drift, cut at maxDuration, few samples and many outliers keep a measurement out of a baseline', () => {
  assert.equal(baselineObjections(check([steady(200), steady(200)]), 400), []);
  const noisy = check([Array.from({ length: 200 }, (_, i) => 10 * (1 + 0.4 * Math.sin(i)))]);
  assert.match(baselineObjections(noisy, 200).join(' '), /^high-cv: latency varies by/);
  assert.match(baselineObjections(check([steady(200)], { stoppedByMax: true }), 200).join(' '), /stopped-at-max-duration/);
  assert.match(baselineObjections(check([steady(50)], { minIterations: 10 }), 50).join(' '), /few-tail-samples/);
  // One stall in 1000 calls is a caution; 20 in 1000 (2%, more than the 1% a p99 can hide) is not a baseline.
  const stalls = (k: number) => { const t = steady(1000); for (let i = 0; i < k; i++) t[i * 40 + 7] = 100; return t; };
  assert.equal(baselineObjections(check([stalls(1)]), 1000), []);
  assert.match(baselineObjections(check([stalls(20)]), 1000).join(' '), /^outliers: 20 outlier calls/);
});

test.run();
