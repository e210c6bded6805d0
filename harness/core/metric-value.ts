/** Where each metric is read from in a case's results. */
import { METRICS, type MetricId } from './metrics.js';
import type { CaseResult } from './results.js';

/** The value a case measured for a metric, when it has one. */
export function metricValue(c: CaseResult, metric: MetricId): number | undefined {
  switch (metric) {
    case 'qps':
      return c.throughput?.qps;
    case 'latency.mean':
      return c.latency?.pooled.mean;
    case 'latency.p99':
      return c.latency?.pooled.p99;
    case 'device.mean':
      return c.latency?.device?.mean;
    case 'device.p99':
      return c.latency?.device?.p99;
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
