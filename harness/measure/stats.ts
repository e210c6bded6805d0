/**
 * All latency statistics are computed here, once, for every backend (JS workers and the native
 * driver alike).
 *
 * THE PERCENTILE RULE (nearest rank, no interpolation): for n samples sorted ascending,
 * the p-th percentile (0 < p <= 100) is x[ceil(p/100 * n) - 1], the smallest sample such that at
 * least p% of the samples are at or below it. p0 is the minimum. Every reported percentile is
 * an observed latency, as MLPerf LoadGen and onnxruntime_perf_test report theirs.
 */

export const REPORTED_PERCENTILES = [50, 90, 95, 99, 99.9] as const;

export interface LatencyStats {
  /** Sample count. */
  n: number;
  /** Milliseconds. */
  mean: number;
  /** Sample standard deviation (n - 1), ms. */
  sd: number;
  min: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  /** Coefficient of variation, sd / mean (a fraction, not percent). */
  cv: number;
}

/** Nearest-rank percentile of an ascending-sorted array. */
export function percentileSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  if (p <= 0) return sorted[0]!;
  if (p >= 100) return sorted[n - 1]!;
  // The epsilon absorbs binary rounding in p/100*n (e.g. 0.9*10 = 9.000000000000002).
  const rank = Math.ceil((p / 100) * n - 1e-9);
  return sorted[Math.min(n, Math.max(1, rank)) - 1]!;
}

export function sortedCopy(samples: ArrayLike<number>): Float64Array {
  const out = Float64Array.from(samples as ArrayLike<number>);
  out.sort();
  return out;
}

export function summarize(samples: ArrayLike<number>): LatencyStats {
  const n = samples.length;
  if (n === 0) {
    return { n: 0, mean: NaN, sd: NaN, min: NaN, p50: NaN, p90: NaN, p95: NaN, p99: NaN, p999: NaN, max: NaN, cv: NaN };
  }
  // Welford: numerically stable mean and variance in one pass.
  let mean = 0;
  let m2 = 0;
  for (let i = 0; i < n; i++) {
    const x = samples[i]!;
    const d = x - mean;
    mean += d / (i + 1);
    m2 += d * (x - mean);
  }
  const sd = n > 1 ? Math.sqrt(m2 / (n - 1)) : 0;
  const sorted = sortedCopy(samples);
  return {
    n,
    mean,
    sd,
    min: sorted[0]!,
    p50: percentileSorted(sorted, 50),
    p90: percentileSorted(sorted, 90),
    p95: percentileSorted(sorted, 95),
    p99: percentileSorted(sorted, 99),
    p999: percentileSorted(sorted, 99.9),
    max: sorted[n - 1]!,
    cv: mean > 0 ? sd / mean : 0,
  };
}

/** Concatenates per-thread sample arrays for the pooled statistics. */
export function pool(perThread: readonly ArrayLike<number>[]): Float64Array {
  const total = perThread.reduce((n, a) => n + a.length, 0);
  const out = new Float64Array(total);
  let at = 0;
  for (const a of perThread) {
    out.set(a as ArrayLike<number>, at);
    at += a.length;
  }
  return out;
}

export interface Throughput {
  /** Images per second: completed calls x batch / wall seconds. */
  qps: number;
  /** Calls completed inside the measured window, all threads. */
  completed: number;
  /** Images completed (completed x batch). */
  images: number;
  /** From the first measured call's start to the last measured call's end, any thread. */
  wallSeconds: number;
}

/**
 * THE THROUGHPUT RULE: qps = completed calls x batch / (last measured end - first measured start),
 * across all threads (mm_run and trtexec use this shape). Times are in ms on one clock.
 */
export function throughput(
  threads: readonly { completed: number; firstStartMs: number; lastEndMs: number }[],
  batch: number,
): Throughput {
  let completed = 0;
  let first = Infinity;
  let last = -Infinity;
  for (const t of threads) {
    if (t.completed === 0) continue;
    completed += t.completed;
    first = Math.min(first, t.firstStartMs);
    last = Math.max(last, t.lastEndMs);
  }
  const wallSeconds = completed > 0 ? (last - first) / 1000 : 0;
  return {
    qps: wallSeconds > 0 ? (completed * batch) / wallSeconds : 0,
    completed,
    images: completed * batch,
    wallSeconds,
  };
}

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

/** Median absolute deviation of ascending-sorted samples (robust spread; one stall barely moves it). */
export function medianAbsoluteDeviation(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const med = percentileSorted(sorted, 50);
  const dev = new Float64Array(n);
  for (let i = 0; i < n; i++) dev[i] = Math.abs(sorted[i]! - med);
  dev.sort();
  return percentileSorted(dev, 50);
}

/** 1.4826 x MAD estimates sd for normal data; divided by the median it is a robust CV. */
export const MAD_TO_SD = 1.4826;

/**
 * Outliers by modified z-score, |x - median| / (1.4826 MAD), above the threshold (hyperfine's
 * 14.8 by default), over ascending-sorted samples. Returns how many, the largest, the median and
 * MAD it used, and the CV of what is left.
 */
export function outliers(
  sorted: ArrayLike<number>,
  threshold = 14.8,
): { count: number; max: number; median: number; mad: number; inlierCv: number } {
  const median = percentileSorted(sorted, 50);
  const mad = medianAbsoluteDeviation(sorted);
  const scale = MAD_TO_SD * mad;
  const inliers: number[] = [];
  for (let i = 0; i < sorted.length; i++) {
    if (scale > 0 && Math.abs(sorted[i]! - median) / scale > threshold) continue;
    inliers.push(sorted[i]!);
  }
  return { count: sorted.length - inliers.length, max: sorted[sorted.length - 1] ?? NaN, median, mad, inlierCv: summarize(inliers).cv };
}

/**
 * Blocks: each thread's calls cut into k consecutive blocks of (nearly) equal call count; block i
 * of the run is block i of every thread. A block's qps is the sum over threads of calls x batch /
 * (that thread's block span); its latency is the mean of its calls. Cutting by call count, not by
 * time, avoids counting half-finished calls at window edges. Blocks are the "repeats" the
 * significance test compares: consecutive slices of one run, not independent runs, so drift
 * inside a run shows up as spread while a shift between runs is left to the practical threshold.
 */
export interface Blocks {
  qps: number[];
  mean: number[];
}

export const DEFAULT_BLOCKS = 10;

export function blocks(threads: readonly { starts: ArrayLike<number>; ends: ArrayLike<number> }[], batch: number, k = DEFAULT_BLOCKS): Blocks {
  const fewest = Math.min(...threads.map((t) => t.starts.length));
  // At least two calls a block, so every block has a span.
  const count = Math.max(0, Math.min(k, Math.floor(fewest / 2)));
  const qps: number[] = new Array(count).fill(0);
  const sums: number[] = new Array(count).fill(0);
  const calls: number[] = new Array(count).fill(0);
  for (const t of threads) {
    const n = t.starts.length;
    for (let b = 0; b < count; b++) {
      const from = Math.floor((b * n) / count);
      const to = Math.floor(((b + 1) * n) / count); // exclusive
      const span = t.ends[to - 1]! - t.starts[from]!;
      if (span > 0) qps[b]! += ((to - from) * batch * 1000) / span;
      for (let i = from; i < to; i++) sums[b]! += t.ends[i]! - t.starts[i]!;
      calls[b]! += to - from;
    }
  }
  return { qps, mean: sums.map((s, b) => s / calls[b]!) };
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
