/**
 * All latency statistics are computed here, once, for every backend (JS workers and the native
 * driver alike).
 *
 * THE PERCENTILE RULE (nearest rank, no interpolation): for n samples sorted ascending,
 * the p-th percentile (0 < p <= 100) is x[ceil(p/100 * n) - 1], the smallest sample such that at
 * least p% of the samples are at or below it. p0 is the minimum. Every reported percentile is
 * an observed latency, as MLPerf LoadGen and onnxruntime_perf_test report theirs.
 */
import type { Blocks, LatencyStats, Throughput } from '../core/index.js';

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
export const DEFAULT_BLOCKS = 10;

export function blocks(threads: readonly { starts: ArrayLike<number>; ends: ArrayLike<number>; device?: ArrayLike<number> }[], batch: number, k = DEFAULT_BLOCKS): Blocks {
  const fewest = Math.min(...threads.map((t) => t.starts.length));
  // At least two calls a block, so every block has a span.
  const count = Math.max(0, Math.min(k, Math.floor(fewest / 2)));
  const qps: number[] = new Array(count).fill(0);
  const sums: number[] = new Array(count).fill(0);
  const deviceSums: number[] = new Array(count).fill(0);
  const calls: number[] = new Array(count).fill(0);
  // Device blocks only when every thread reports device time for every call.
  const withDevice = threads.length > 0 && threads.every((t) => t.device && t.device.length === t.starts.length);
  for (const t of threads) {
    const n = t.starts.length;
    for (let b = 0; b < count; b++) {
      const from = Math.floor((b * n) / count);
      const to = Math.floor(((b + 1) * n) / count); // exclusive
      const span = t.ends[to - 1]! - t.starts[from]!;
      if (span > 0) qps[b]! += ((to - from) * batch * 1000) / span;
      for (let i = from; i < to; i++) sums[b]! += t.ends[i]! - t.starts[i]!;
      if (withDevice) for (let i = from; i < to; i++) deviceSums[b]! += t.device![i]!;
      calls[b]! += to - from;
    }
  }
  return { qps, mean: sums.map((s, b) => s / calls[b]!), ...(withDevice ? { device: deviceSums.map((s, b) => s / calls[b]!) } : {}) };
}
