/**
 * Is a measurement fit to be compared? Like LoadGen's VALID: the minimums must hold; noise and
 * drift are flagged so that nobody gates on a number the machine did not stand behind.
 */
import { INVALIDATING, type LatencyStats, type Validity, type ValidityWarning } from '../core/index.js';
import { MAD_TO_SD, outliers, percentileSorted, pool, sortedCopy } from './stats.js';

export const VALIDITY_LIMITS = {
  /** Robust CV (1.4826 MAD / median) above this: the bulk of the calls is noisy. */
  highCv: 0.1,
  /** Modified z-score above this marks a call as an outlier (hyperfine's rule). */
  outlierZ: 14.8,
  /** Median of the second half differing from the first half by more than this. */
  drift: 0.05,
  /** Slowest thread completing fewer calls than this fraction of the fastest. */
  imbalance: 0.8,
  /** Mean latency below this many timer ticks cannot be timed per call. */
  timerTicks: 100,
  /** performance.now() resolution in Node (ms); coarse enough to matter only for sub-ms calls. */
  timerResolutionMs: 0.001,
  /** Fewer samples than this leave p99 as (nearly) the max. */
  tailSamples: 100,
  /** More outlier calls than this share of all calls: too many for a baseline (they are its p99). */
  baselineOutliers: 0.01,
};

export interface ValidityInput {
  /** Each thread's latencies in call order, ms. */
  perThreadOrdered: readonly ArrayLike<number>[];
  pooled: LatencyStats;
  wallSeconds: number;
  minSeconds: number;
  minIterations: number;
  stoppedByMax: boolean;
}

function median(a: ArrayLike<number>, from: number, to: number): number {
  return percentileSorted(sortedCopy(Array.prototype.slice.call(a, from, to) as number[]), 50);
}

export function assessValidity(m: ValidityInput): Validity {
  const warnings: ValidityWarning[] = [];
  let valid = true;
  const counts = m.perThreadOrdered.map((t) => t.length);
  const fewest = Math.min(...counts);
  const most = Math.max(...counts);

  if (fewest < m.minIterations) {
    valid = false;
    warnings.push({
      code: 'too-few-samples',
      message: `a thread completed ${fewest} measured calls, fewer than minIterations ${m.minIterations}`,
    });
  }
  if (m.wallSeconds < m.minSeconds * 0.999) {
    valid = false;
    warnings.push({ code: 'short-duration', message: `measured for ${m.wallSeconds.toFixed(2)} s, less than minDuration ${m.minSeconds} s` });
  }
  if (m.stoppedByMax) {
    warnings.push({ code: 'stopped-at-max-duration', message: 'stopped by maxDuration before the minimums were met' });
  }
  // Noise is judged without the outliers (the larger of the robust CV and the CV of the inliers),
  // so one stall does not read as a noisy machine and two latency modes still do; stalls are
  // reported as outliers instead.
  const out = outliers(sortedCopy(pool(m.perThreadOrdered)), VALIDITY_LIMITS.outlierZ);
  const noise = Math.max((MAD_TO_SD * out.mad) / out.median, out.inlierCv);
  if (noise > VALIDITY_LIMITS.highCv) {
    warnings.push({ code: 'high-cv', message: `latency varies by ${(noise * 100).toFixed(1)}% without outliers (> ${VALIDITY_LIMITS.highCv * 100}%): noisy machine, throttling or two latency modes` });
  }
  if (out.count > 0) {
    warnings.push({
      code: 'outliers',
      count: out.count,
      message: `${out.count} outlier call${out.count > 1 ? 's' : ''} (slowest ${out.max.toFixed(2)} ms against a median of ${out.median.toFixed(2)} ms): background interference; max and tail percentiles include ${out.count > 1 ? 'them' : 'it'}`,
    });
  }
  // Drift: compare medians of the first and second half of each thread, pooled by weight.
  let first = 0;
  let second = 0;
  let weight = 0;
  for (const t of m.perThreadOrdered) {
    if (t.length < 10) continue;
    const half = Math.floor(t.length / 2);
    first += median(t, 0, half) * t.length;
    second += median(t, half, t.length) * t.length;
    weight += t.length;
  }
  if (weight > 0) {
    const change = (second - first) / first;
    if (Math.abs(change) > VALIDITY_LIMITS.drift) {
      warnings.push({
        code: 'drift',
        message: `median latency ${change > 0 ? 'rose' : 'fell'} ${(Math.abs(change) * 100).toFixed(1)}% from the first to the second half (thermal, frequency or background load?)`,
      });
    }
  }
  if (counts.length > 1 && most > 0 && fewest / most < VALIDITY_LIMITS.imbalance) {
    warnings.push({ code: 'thread-imbalance', message: `threads completed between ${fewest} and ${most} calls: they did not share the device evenly` });
  }
  if (m.pooled.mean < VALIDITY_LIMITS.timerResolutionMs * VALIDITY_LIMITS.timerTicks) {
    warnings.push({ code: 'timer-resolution', message: `mean latency ${m.pooled.mean.toFixed(4)} ms is within 100 ticks of the timer resolution` });
  }
  if (m.pooled.n < VALIDITY_LIMITS.tailSamples) {
    warnings.push({ code: 'few-tail-samples', message: `${m.pooled.n} samples: p99 and p99.9 are close to the maximum; run longer for tail latencies` });
  }
  return { valid, warnings };
}

/** Cautions that keep a measurement out of a baseline: a baseline must come from a quiet machine. */
const NOISY: readonly ValidityWarning['code'][] = ['high-cv', 'drift', 'stopped-at-max-duration', 'few-tail-samples'];

/**
 * Why a measurement must not become a baseline (empty when it may): invalid, noisy (high CV,
 * drift), cut at maxDuration, too few samples for its tail, or more than 1% outlier calls.
 */
export function baselineObjections(validity: Validity, calls: number): string[] {
  const out: string[] = [];
  for (const w of validity.warnings) {
    const many = w.code === 'outliers' && (w.count ?? 0) > VALIDITY_LIMITS.baselineOutliers * calls;
    if (INVALIDATING.includes(w.code) || NOISY.includes(w.code) || many) out.push(`${w.code}: ${w.message}`);
  }
  return out;
}

/**
 * Why a measurement's device time must not become a baseline: the device's own spread (its CV) and
 * sample count. Host noise does not touch it: the device reports its own time.
 */
export function deviceObjections(device: LatencyStats): string[] {
  const out: string[] = [];
  if (device.cv > VALIDITY_LIMITS.highCv) out.push(`high-cv: device time varies by ${(device.cv * 100).toFixed(1)}% (> ${VALIDITY_LIMITS.highCv * 100}%)`);
  if (device.n < VALIDITY_LIMITS.tailSamples) out.push(`few-tail-samples: ${device.n} device times, too few for p99`);
  return out;
}
