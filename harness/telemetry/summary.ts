/** Sample series -> min/mean/max per metric and device (results.json), in one stable order. */
import { TELEMETRY_METRIC_IDS, type TelemetryMetricSummary } from '../core/index.js';
import type { Series } from './sampler.js';

const order = (s: { metric: string; device: string }) => TELEMETRY_METRIC_IDS.indexOf(s.metric as (typeof TELEMETRY_METRIC_IDS)[number]);
const round = (v: number) => Math.round(v * 1000) / 1000;

export function sortSeries<T extends { metric: string; device: string }>(series: readonly T[]): T[] {
  // "all" first, then devices in natural order (cpu2 before cpu10).
  return [...series].sort((a, b) => order(a) - order(b) || (a.device === 'all' ? -1 : b.device === 'all' ? 1 : a.device.localeCompare(b.device, 'en', { numeric: true })));
}

export function summarizeSeries(series: readonly Series[]): TelemetryMetricSummary[] {
  return sortSeries(series)
    .filter((s) => s.points.length)
    .map((s) => {
      const v = s.points.map((p) => p.v);
      return {
        metric: s.metric,
        device: s.device,
        unit: s.unit,
        n: v.length,
        min: round(Math.min(...v)),
        mean: round(v.reduce((a, b) => a + b, 0) / v.length),
        max: round(Math.max(...v)),
        ...(s.ceiling !== undefined ? { ceiling: s.ceiling } : {}),
      };
    });
}

/** The summary of one metric and device, if sampled. */
export function findMetric(metrics: readonly TelemetryMetricSummary[], metric: string, device?: string): TelemetryMetricSummary | undefined {
  return metrics.find((m) => m.metric === metric && (device === undefined || m.device === device));
}
