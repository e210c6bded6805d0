/** Where each metric is read from in a case's results. */
import { METRICS, type MetricId } from './metrics.js';
import type { Blocks, LatencyStats } from './measurement.js';

/** The parts of a case result the metrics are read from (history validates and reads only these). */
export interface MetricSource {
  throughput?: { qps: number };
  blocks?: Partial<Blocks>;
  latency?: { pooled: Pick<LatencyStats, 'mean' | 'p99'>; device?: Pick<LatencyStats, 'mean' | 'p99'> };
  accuracy?: { status: string; top1?: { value: number }; top5?: { value: number } };
}

/** The value a case measured for a metric, when it has one. */
export function metricValue(c: MetricSource, metric: MetricId): number | undefined {
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

export function metricBlocks(c: MetricSource, metric: MetricId): number[] | undefined {
  const series = METRICS[metric].blocks;
  return series ? c.blocks?.[series] : undefined;
}
