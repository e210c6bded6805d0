/**
 * The metrics a baseline can hold and the gate can judge (which way is better, the practical
 * threshold a change must clear), and the verdicts with the one order that rolls them up.
 */
export const VERDICTS = ['pass', 'regressed', 'improved', 'inconclusive', 'invalid', 'missing'] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Worst first: a case's verdict is its worst metric's, in every report. */
export const VERDICT_ORDER: readonly Verdict[] = ['regressed', 'invalid', 'inconclusive', 'missing', 'improved', 'pass'];

export function worstVerdict(verdicts: readonly Verdict[]): Verdict | undefined {
  return VERDICT_ORDER.find((v) => verdicts.includes(v));
}

export const METRIC_IDS = ['qps', 'latency.mean', 'latency.p99', 'device.mean', 'device.p99', 'top1', 'top5'] as const;
export type MetricId = (typeof METRIC_IDS)[number];

export interface MetricInfo {
  id: MetricId;
  kind: 'performance' | 'accuracy';
  direction: 'higher' | 'lower';
  unit: 'img/s' | 'ms' | 'fraction';
  /**
   * Default practical threshold. Performance: a relative change (0.05 = 5%). Accuracy: an
   * absolute change of the fraction (0.01 = one percentage point).
   */
  threshold: number;
  /** Which per-block series of a case holds this metric's samples, if any. */
  blocks?: 'qps' | 'mean' | 'device';
  /** A tail percentile, tested by the share of calls beyond the baseline's value; which per-call series holds them. */
  tail?: { percentile: number; samples: 'latency' | 'device' };
  /** Performance: timed on the host, or reported by the device (a simulated device is judged on the latter first). */
  timing?: 'host' | 'device';
  label: string;
}

export const METRICS: Record<MetricId, MetricInfo> = {
  // 3%: back-to-back A/A runs here move < 1%, and a 5% slowdown must clear it (npm run bench:gate).
  qps: { id: 'qps', kind: 'performance', direction: 'higher', unit: 'img/s', threshold: 0.03, blocks: 'qps', timing: 'host', label: 'throughput' },
  'latency.mean': { id: 'latency.mean', kind: 'performance', direction: 'lower', unit: 'ms', threshold: 0.03, blocks: 'mean', timing: 'host', label: 'mean latency' },
  // Tails move much more from run to run (one stall in a short run is its p99): a wide threshold,
  // and an exact binomial test on the share of calls beyond the baseline's p99.
  'latency.p99': { id: 'latency.p99', kind: 'performance', direction: 'lower', unit: 'ms', threshold: 0.25, tail: { percentile: 99, samples: 'latency' }, timing: 'host', label: 'p99 latency' },
  // Device compute time where the backend reports it (MagicMind notifiers, the sim): gated like latency.
  'device.mean': { id: 'device.mean', kind: 'performance', direction: 'lower', unit: 'ms', threshold: 0.03, blocks: 'device', timing: 'device', label: 'mean device time' },
  'device.p99': { id: 'device.p99', kind: 'performance', direction: 'lower', unit: 'ms', threshold: 0.25, tail: { percentile: 99, samples: 'device' }, timing: 'device', label: 'p99 device time' },
  top1: { id: 'top1', kind: 'accuracy', direction: 'higher', unit: 'fraction', threshold: 0.01, label: 'top-1' },
  top5: { id: 'top5', kind: 'accuracy', direction: 'higher', unit: 'fraction', threshold: 0.01, label: 'top-5' },
};

/** "5%" or 0.05 -> 0.05. */
export function parseThreshold(value: number | string): number {
  if (typeof value === 'number') return value;
  return Number(value.replace(/%$/, '')) / 100;
}
