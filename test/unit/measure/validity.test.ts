import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { summarize } from '../../../harness/measure/stats.js';
import { assessValidity } from '../../../harness/measure/validity.js';

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

test.run();
