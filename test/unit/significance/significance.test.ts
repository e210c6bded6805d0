/** Significance tests: Mann-Whitney U (exact and approximate), exact McNemar, exact binomial tail. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { binomialTail, mannWhitneyU, mcnemarExact } from '../../../harness/significance/index.js';

test('Mann-Whitney U: exact p-values for small untied samples', () => {
  // Fully separated 3 vs 3: only 1 of C(6,3)=20 orderings is as extreme on each side.
  const r = mannWhitneyU([1, 2, 3], [4, 5, 6]);
  assert.is(r.u, 0);
  assert.ok(r.exact);
  assert.ok(Math.abs(r.p - 0.1) < 1e-12);
  // 10 vs 10 fully separated: 2 / C(20,10).
  const ten = mannWhitneyU([...Array(10).keys()], [...Array(10).keys()].map((x) => x + 100));
  assert.ok(Math.abs(ten.p - 2 / 184756) < 1e-12);
  // Interleaved samples are not significant.
  assert.ok(mannWhitneyU([1, 3, 5, 7, 9], [2, 4, 6, 8, 10]).p > 0.5);
});

test('Mann-Whitney U: the normal approximation handles ties and large samples', () => {
  const a = Array.from({ length: 200 }, (_, i) => Math.floor(i / 10));
  const b = a.map((x) => x + 3);
  const r = mannWhitneyU(a, b);
  assert.not.ok(r.exact);
  assert.ok(r.p < 0.01, `p ${r.p}`);
  assert.ok(mannWhitneyU(a, [...a]).p > 0.9);
});

test('exact McNemar: binomial tail on the discordant pairs, no underflow at 50,000', () => {
  assert.ok(Math.abs(mcnemarExact(0, 10) - 2 * 0.5 ** 10) < 1e-15);
  assert.is(mcnemarExact(5, 5), 1);
  assert.is(mcnemarExact(0, 0), 1);
  // P(X <= 1 | n = 6) = 7/64, two-sided 14/64.
  assert.ok(Math.abs(mcnemarExact(1, 5) - 14 / 64) < 1e-12);
  const big = mcnemarExact(24_000, 26_000);
  assert.ok(big > 0 && big < 1e-10, `p ${big}`);
});

test('exact binomial tail: hand-computed small cases, and no underflow in logs at a million calls', () => {
  // n = 10, p = 1/2: P(X >= 8) = (45 + 10 + 1) / 1024; P(X <= 2) is the same by symmetry.
  assert.ok(Math.abs(binomialTail(8, 10, 0.5, 'upper') - 56 / 1024) < 1e-12);
  assert.ok(Math.abs(binomialTail(2, 10, 0.5, 'lower') - 56 / 1024) < 1e-12);
  // n = 100, p = 1%: P(X <= 0) = 0.99^100; P(X >= 0) = 1.
  assert.ok(Math.abs(binomialTail(0, 100, 0.01, 'lower') - 0.99 ** 100) < 1e-12);
  assert.is(binomialTail(0, 100, 0.01, 'upper'), 1);
  // n = 1e6, p = 1%: the mean 10,000 sits mid-distribution; 11,000 is 10 sd out (normal tail about 1e-23).
  const mid = binomialTail(10000, 1e6, 0.01, 'upper');
  assert.ok(mid > 0.49 && mid < 0.51, String(mid));
  const far = binomialTail(11000, 1e6, 0.01, 'upper');
  assert.ok(far > 1e-26 && far < 1e-20, String(far));
  assert.ok(binomialTail(9000, 1e6, 0.01, 'lower') < 1e-20);
});

test.run();
