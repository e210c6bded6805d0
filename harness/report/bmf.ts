/**
 * results.bmf.json: Bencher Metric Format, for `bencher run --adapter json --file results.bmf.json`.
 * One benchmark per measured case (named by its case id, with SIMULATED after a simulated one),
 * with Bencher's built-in measures `latency` (mean, nanoseconds) and `throughput` (images per
 * second), and `top1` (fraction) where accuracy was scored. lower_value/upper_value are the 95%
 * confidence bounds: over the run's blocks for speed (Student t), Wilson for top-1. An invalid
 * measurement exports no speed figures: a dashboard must never chart what the gate refuses.
 */
import type { Blocks, CaseResult, RunResults } from '../core/index.js';
import type { TextExporter } from './exporter.js';

export interface BmfMetric {
  value: number;
  lower_value?: number;
  upper_value?: number;
}

export type Bmf = Record<string, Record<string, BmfMetric>>;

/** Two-sided 97.5% Student t quantiles by degrees of freedom (blocks are 10 or fewer). */
const T975 = [NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131];

/** value +- t * sd(blocks) / sqrt(k): the spread of consecutive slices of the run around its figure. */
function withBlockBounds(value: number, series: readonly number[] | undefined, scale = 1): BmfMetric {
  const k = series?.length ?? 0;
  if (!series || k < 3) return { value: value * scale };
  const mean = series.reduce((a, b) => a + b, 0) / k;
  const sd = Math.sqrt(series.reduce((a, b) => a + (b - mean) ** 2, 0) / (k - 1));
  const half = (T975[k - 1] ?? 1.96) * (sd / Math.sqrt(k));
  return { value: value * scale, lower_value: Math.max(0, value - half) * scale, upper_value: (value + half) * scale };
}

function caseMetrics(c: CaseResult): Record<string, BmfMetric> {
  const out: Record<string, BmfMetric> = {};
  const blocks: Partial<Blocks> = c.blocks ?? {};
  if (c.status === 'ok' && c.validity?.valid !== false && c.latency && c.throughput && c.latency.pooled.n > 0) {
    out.latency = withBlockBounds(c.latency.pooled.mean, blocks.mean, 1e6);
    out.throughput = withBlockBounds(c.throughput.qps, blocks.qps);
  }
  const top1 = c.accuracy?.status === 'ok' ? c.accuracy.top1 : undefined;
  if (top1) out.top1 = { value: top1.value, lower_value: top1.ci95[0], upper_value: top1.ci95[1] };
  return out;
}

export function renderBmf(results: RunResults): string {
  const bmf: Bmf = {};
  for (const c of results.cases) {
    const metrics = caseMetrics(c);
    if (Object.keys(metrics).length) bmf[`${c.id}${c.simulated ? ' SIMULATED' : ''}`] = metrics;
  }
  return JSON.stringify(bmf, null, 2) + '\n';
}

export const bmfExporter: TextExporter = { id: 'bmf', fileName: 'results.bmf.json', render: renderBmf };
