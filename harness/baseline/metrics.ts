/**
 * The metrics a baseline can hold and the gate can judge: where each is read from in a case's
 * results, which way is better, and the practical threshold it needs before a change counts.
 */
import type { CaseResult } from '../report/results.js';

export const VERDICTS = ['pass', 'regressed', 'improved', 'inconclusive', 'invalid', 'missing'] as const;
export type Verdict = (typeof VERDICTS)[number];

export const METRIC_IDS = ['qps', 'latency.mean', 'latency.p99', 'top1', 'top5'] as const;
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
  blocks?: 'qps' | 'mean';
  label: string;
}

export const METRICS: Record<MetricId, MetricInfo> = {
  // 3%: back-to-back A/A runs here move < 1%, and a 5% slowdown must clear it (npm run bench:gate).
  qps: { id: 'qps', kind: 'performance', direction: 'higher', unit: 'img/s', threshold: 0.03, blocks: 'qps', label: 'throughput' },
  'latency.mean': { id: 'latency.mean', kind: 'performance', direction: 'lower', unit: 'ms', threshold: 0.03, blocks: 'mean', label: 'mean latency' },
  // Tails move much more from run to run (one stall in a short run is its p99), and blocks are too
  // short to hold their own p99: threshold-only, and a wide one.
  'latency.p99': { id: 'latency.p99', kind: 'performance', direction: 'lower', unit: 'ms', threshold: 0.25, label: 'p99 latency' },
  top1: { id: 'top1', kind: 'accuracy', direction: 'higher', unit: 'fraction', threshold: 0.01, label: 'top-1' },
  top5: { id: 'top5', kind: 'accuracy', direction: 'higher', unit: 'fraction', threshold: 0.01, label: 'top-5' },
};

/** The value a case measured for a metric, when it has one. */
export function metricValue(c: CaseResult, metric: MetricId): number | undefined {
  switch (metric) {
    case 'qps':
      return c.throughput?.qps;
    case 'latency.mean':
      return c.latency?.pooled.mean;
    case 'latency.p99':
      return c.latency?.pooled.p99;
    case 'top1':
      return c.accuracy?.status === 'ok' ? c.accuracy.top1?.value : undefined;
    case 'top5':
      return c.accuracy?.status === 'ok' ? c.accuracy.top5?.value : undefined;
  }
}

export function metricBlocks(c: CaseResult, metric: MetricId): number[] | undefined {
  const series = METRICS[metric].blocks;
  return series ? c.blocks?.[series] : undefined;
}

/** "5%" or 0.05 -> 0.05. */
export function parseThreshold(value: number | string): number {
  if (typeof value === 'number') return value;
  return Number(value.replace(/%$/, '')) / 100;
}

export function formatMetricValue(metric: MetricId, v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '-';
  const unit = METRICS[metric].unit;
  if (unit === 'fraction') return `${(v * 100).toFixed(2)}%`;
  if (unit === 'ms') return `${v.toFixed(3)} ms`;
  return `${v.toFixed(2)} img/s`;
}
