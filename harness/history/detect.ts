/**
 * Change points in one time series of per-run values: a penalised least-squares step fit (the
 * optimal partition, each step paying a penalty scaled by the series' noise), and every step
 * held to the gate's own rule: a change of the segment
 * medians beyond the metric's practical threshold AND a Mann-Whitney U test at the gate's alpha
 * over the block values of the runs before vs after (per-run values when runs have no blocks).
 * Pure: no files, no clocks.
 */
import { mannWhitneyU } from '../significance/index.js';

export interface SeriesPoint {
  value: number;
  /** The run's block values for this metric, when it has them (what the gate tests). */
  blocks?: readonly number[];
}

export interface DetectOptions {
  /** Practical threshold: relative (0.03 = 3%) or, with absolute, a difference of the values. */
  threshold: number;
  absolute?: boolean;
  alpha: number;
  /** Fewest runs on each side of a step (default 2): one odd night is not a step. */
  minSegment?: number;
}

export interface ChangePoint {
  /** Index of the first run after the step. */
  index: number;
  /** Medians of the per-run values before and after (an even count: the middle value nearer the other side). */
  before: number;
  after: number;
  /** Relative change (after / before - 1), or the difference with absolute thresholds. */
  change: number;
  p: number;
  /** What the Mann-Whitney test compared: pooled block values, or one value per run. */
  samples: 'blocks' | 'runs';
  runsBefore: number;
  runsAfter: number;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/**
 * The median of one side of a step, where an even count takes the middle value nearer the other
 * side (not their mean): otherwise two runs, one odd night and one normal, would average out to
 * a "level" beyond the threshold.
 */
function medianToward(xs: readonly number[], other: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  if (s.length % 2) return s[m]!;
  return Math.abs(s[m - 1]! - other) <= Math.abs(s[m]! - other) ? s[m - 1]! : s[m]!;
}

/** Robust noise sd of a series: MAD of first differences (a step moves one difference only). */
function noiseSd(values: readonly number[]): number {
  if (values.length < 3) return 0;
  const diffs = values.slice(1).map((v, i) => v - values[i]!);
  const m = median(diffs);
  return (1.4826 * median(diffs.map((d) => Math.abs(d - m)))) / Math.SQRT2;
}

/**
 * Optimal partition into steps of at least minSeg runs minimising squared error + penalty per
 * step (PELT: exact, with pruning that keeps long series near linear).
 */
function penalisedSteps(values: readonly number[], minSeg: number, penalty: number): number[] {
  const n = values.length;
  const sum = new Float64Array(n + 1);
  const sq = new Float64Array(n + 1);
  values.forEach((v, i) => {
    sum[i + 1] = sum[i]! + v;
    sq[i + 1] = sq[i]! + v * v;
  });
  const cost = (a: number, b: number) => sq[b]! - sq[a]! - (sum[b]! - sum[a]!) ** 2 / (b - a);
  const best = new Float64Array(n + 1).fill(Infinity);
  const last = new Int32Array(n + 1);
  best[0] = -penalty;
  let candidates = [0];
  for (let s = minSeg; s <= n; s++) {
    const eligible = candidates.filter((t) => t <= s - minSeg);
    for (const t of eligible) {
      const f = best[t]! + cost(t, s) + penalty;
      if (f < best[s]!) {
        best[s] = f;
        last[s] = t;
      }
    }
    candidates = candidates.filter((t) => t > s - minSeg || best[t]! + cost(t, s) <= best[s]!);
    if (s + minSeg <= n) candidates.push(s);
  }
  const steps: number[] = [];
  for (let s = n; s > 0; s = last[s]!) if (last[s]! > 0) steps.push(last[s]!);
  return steps.reverse();
}

/** Runs [lo, k) vs runs [k, hi): the change of their medians, and the ChangePoint if the gate's rule holds. */
function evaluate(points: readonly SeriesPoint[], lo: number, k: number, hi: number, opts: DetectOptions): { change: number; step?: ChangePoint } {
  const left = points.slice(lo, k);
  const right = points.slice(k, hi);
  const before = medianToward(left.map((p) => p.value), median(right.map((p) => p.value)));
  const after = medianToward(right.map((p) => p.value), before);
  const change = opts.absolute ? after - before : before === 0 ? Infinity : after / before - 1;
  if (!(Math.abs(change) > opts.threshold)) return { change };
  const withBlocks = [...left, ...right].every((p) => (p.blocks?.length ?? 0) >= 3);
  const pool = (side: readonly SeriesPoint[]) => (withBlocks ? side.flatMap((p) => [...p.blocks!]) : side.map((p) => p.value));
  const { p } = mannWhitneyU(pool(left), pool(right));
  if (!(p < opts.alpha)) return { change };
  return { change, step: { index: k, before, after, change, p, samples: withBlocks ? 'blocks' : 'runs', runsBefore: left.length, runsAfter: right.length } };
}

/** The gate's rule applied to "runs [lo, k) vs runs [k, hi)": a ChangePoint, or undefined. */
export function judgeStep(points: readonly SeriesPoint[], lo: number, k: number, hi: number, opts: DetectOptions): ChangePoint | undefined {
  return evaluate(points, lo, k, hi, opts).step;
}

export function detectSteps(points: readonly SeriesPoint[], opts: DetectOptions): ChangePoint[] {
  const n = points.length;
  const minSeg = Math.max(1, opts.minSegment ?? 2);
  if (n < 2 * minSeg) return [];
  const values = points.map((p) => p.value);
  // BIC-like penalty: a step must remove more squared error than the noise would by chance.
  const penalty = 2 * noiseSd(values) ** 2 * Math.log(n);
  let steps = penalisedSteps(values, minSeg, penalty);
  // Every step must pass the gate's rule between its neighbours. Drop the weakest failing one at
  // a time and judge again: its neighbours' segments grow, and a real step may then pass.
  for (;;) {
    const judged = steps.map((k, i) => ({ k, ...evaluate(points, steps[i - 1] ?? 0, k, steps[i + 1] ?? n, opts) }));
    const failing = judged.filter((j) => !j.step);
    if (!failing.length) return judged.map((j) => j.step!);
    const weakest = failing.reduce((a, b) => (Math.abs(b.change) < Math.abs(a.change) ? b : a));
    steps = steps.filter((k) => k !== weakest.k);
  }
}
