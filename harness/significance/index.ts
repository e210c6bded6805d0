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
