/**
 * Significance tests, apart from the descriptive statistics (measure/stats.ts): Mann-Whitney U on
 * block values, exact McNemar on paired per-image outcomes, the exact binomial tail for calls
 * beyond a baseline percentile, and Wilson intervals for proportions.
 * The gate (baseline/) and accuracy (accuracy/) both use them.
 */

/**
 * Wilson score interval for a proportion (95% by default): sound at small n and near 0 or 1,
 * where the normal approximation is not.
 */
export function wilsonInterval(successes: number, n: number, z = 1.959963984540054): [number, number] {
  if (n === 0) return [0, 1];
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/** Standard normal upper tail, P(Z > z) (Abramowitz-Stegun 7.1.26 via erfc; error < 1.5e-7). */
export function normalUpperTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erfc = poly * Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/**
 * Two-sided Mann-Whitney U test of "a and b come from the same distribution". Exact null
 * distribution when both samples are small and untied (the blocks case), otherwise the normal
 * approximation with tie and continuity corrections. Returns U for a and the two-sided p-value.
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): { u: number; p: number; exact: boolean } {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return { u: NaN, p: 1, exact: false };
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const ranks = new Array<number>(all.length);
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && all[j + 1]!.v === all[i]!.v) j++;
    const rank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[k] = rank;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  let r1 = 0;
  all.forEach((x, i) => {
    if (x.g === 0) r1 += ranks[i]!;
  });
  const u = r1 - (n1 * (n1 + 1)) / 2;
  if (tieTerm === 0 && n1 <= 30 && n2 <= 30) {
    const dist = exactUDistribution(n1, n2);
    const total = dist.reduce((s, c) => s + c, 0);
    const lo = Math.min(u, n1 * n2 - u);
    let tail = 0;
    for (let k = 0; k <= lo; k++) tail += dist[k]!;
    return { u, p: Math.min(1, (2 * tail) / total), exact: true };
  }
  const n = n1 + n2;
  const mu = (n1 * n2) / 2;
  const sigma = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
  if (sigma === 0) return { u, p: 1, exact: false };
  const z = (Math.abs(u - mu) - 0.5) / sigma;
  return { u, p: Math.min(1, 2 * normalUpperTail(Math.max(0, z))), exact: false };
}

/** Counts of orderings giving each U for sample sizes m, n (recurrence f(m,n) = f(m-1,n) shifted by n + f(m,n-1)). */
function exactUDistribution(m: number, n: number): number[] {
  // prev[j] holds the distribution for (i-1, j); built up row by row.
  let prev: number[][] = [];
  for (let j = 0; j <= n; j++) prev.push([1]);
  for (let i = 1; i <= m; i++) {
    const row: number[][] = [[1]];
    for (let j = 1; j <= n; j++) {
      const size = i * j + 1;
      const d = new Array<number>(size).fill(0);
      const left = prev[j]!; // (i-1, j): a's largest element ranks above all of b's j elements, U += j
      for (let u = 0; u < left.length; u++) d[u + j]! += left[u]!;
      const up = row[j - 1]!; // (i, j-1)
      for (let u = 0; u < up.length; u++) d[u]! += up[u]!;
      row.push(d);
    }
    prev = row;
  }
  return prev[n]!;
}

/**
 * Exact McNemar test on paired binary outcomes: of the discordant pairs, b went one way and c
 * the other; under no change each is Binomial(b + c, 1/2). Two-sided p-value, computed in logs so
 * that 50,000 images do not underflow.
 */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  let logPmf = -n * Math.LN2; // P(X = 0)
  let logTail = logPmf;
  for (let i = 0; i < k; i++) {
    logPmf += Math.log((n - i) / (i + 1));
    const hi = Math.max(logTail, logPmf);
    logTail = hi + Math.log(Math.exp(logTail - hi) + Math.exp(logPmf - hi));
  }
  return Math.min(1, 2 * Math.exp(logTail));
}

/** log(exp(a) + exp(b)) without overflow. */
function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const hi = Math.max(a, b);
  return hi + Math.log(Math.exp(a - hi) + Math.exp(b - hi));
}

/**
 * One-sided exact binomial test of k successes in n trials against probability p: 'upper' is
 * P(X >= k), 'lower' is P(X <= k). Summed in logs from the pmf's recurrence, so n in the
 * millions and p-values far below 1e-300 neither overflow nor underflow to a wrong answer.
 */
export function binomialTail(k: number, n: number, p: number, side: 'upper' | 'lower'): number {
  if (n <= 0) return 1;
  if (side === 'upper' && k <= 0) return 1;
  if (side === 'lower' && k >= n) return 1;
  if (p <= 0) return side === 'upper' ? 0 : 1;
  if (p >= 1) return side === 'upper' ? 1 : 0;
  const lp = Math.log(p);
  const lq = Math.log1p(-p);
  // log pmf(i) by the recurrence pmf(i+1) = pmf(i) * (n - i) / (i + 1) * p / q, from pmf(0) = q^n.
  let logPmf = n * lq;
  let logTail = side === 'lower' ? logPmf : -Infinity;
  for (let i = 0; i < n; i++) {
    logPmf += Math.log((n - i) / (i + 1)) + lp - lq;
    const x = i + 1;
    if (side === 'upper' ? x >= k : x <= k) logTail = logAdd(logTail, logPmf);
    if (side === 'lower' && x >= k) break;
    // Far past the mode the terms vanish: stop once they no longer move the sum.
    if (side === 'upper' && x > k && x > n * p && logPmf < logTail - 40) break;
  }
  return Math.min(1, Math.exp(logTail));
}

const Z95 = 1.959963984540054;

/**
 * 95% interval of the relative change now/base - 1 between two samples of positive values (block
 * qps or block mean latency): the Hodges-Lehmann shift of the logs with its distribution-free
 * interval from the Mann-Whitney ranks (Bauer 1972), so it agrees with the test the gate runs.
 * Normal approximation to the rank quantile; undefined below 3 values a side.
 */
export function ratioChangeInterval(base: readonly number[], now: readonly number[]): [number, number] | undefined {
  const n1 = base.length;
  const n2 = now.length;
  if (n1 < 3 || n2 < 3 || [...base, ...now].some((v) => !(v > 0))) return undefined;
  const diffs: number[] = [];
  for (const b of base) for (const a of now) diffs.push(Math.log(a) - Math.log(b));
  diffs.sort((x, y) => x - y);
  const m = diffs.length;
  const k = Math.max(0, Math.floor(m / 2 - Z95 * Math.sqrt((n1 * n2 * (n1 + n2 + 1)) / 12)));
  return [Math.expm1(diffs[k]!), Math.expm1(diffs[m - 1 - k]!)];
}

/**
 * 95% interval of the difference of two independent proportions p1 - p0 (Newcombe's hybrid score
 * method from the two Wilson intervals): sound near 0 and 1, where a Wald interval is not.
 */
export function proportionDifferenceInterval(x1: number, n1: number, x0: number, n0: number): [number, number] {
  const p1 = x1 / n1;
  const p0 = x0 / n0;
  const [l1, u1] = wilsonInterval(x1, n1);
  const [l0, u0] = wilsonInterval(x0, n0);
  const d = p1 - p0;
  return [d - Math.sqrt((p1 - l1) ** 2 + (u0 - p0) ** 2), d + Math.sqrt((u1 - p1) ** 2 + (p0 - l0) ** 2)];
}

/**
 * 95% interval of the paired difference (gained - lost) / n of two classifiers scored on the same
 * n images, from the discordant counts (Wald for paired proportions; n is in the hundreds or more).
 */
export function pairedDifferenceInterval(lost: number, gained: number, n: number): [number, number] {
  const d = (gained - lost) / n;
  const se = Math.sqrt(Math.max(0, lost + gained - (gained - lost) ** 2 / n)) / n;
  return [d - Z95 * se, d + Z95 * se];
}
