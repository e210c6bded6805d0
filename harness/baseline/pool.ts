/**
 * One baseline figure from one or more runs of a case: the value, the blocks of every run (the
 * significance test's samples), the calls behind them, and the run-to-run spread. Several quiet
 * runs make a baseline that neither one lucky nor one unlucky run decides.
 */
import { resolve } from 'node:path';
import { METRICS, metricBlocks, metricValue, type CaseResult, type LoadedResults, type MetricId } from '../core/index.js';
import { percentileSorted, sortedCopy } from '../measure/stats.js';
import { pooledSeries, readSamplesFile } from '../measure/samples-file.js';

export interface RunCase {
  loaded: LoadedResults;
  c: CaseResult;
}

/** The performance fields of a baseline entry (BaselineEntry in schema.ts). */
export interface PooledFigure {
  value: number;
  blocks?: number[];
  calls?: number;
  runValues?: number[];
  runIds?: string[];
  spread?: number;
  p999?: number;
}

const round = (v: number) => Number(v.toPrecision(7));

/** Every call of the series from every run's samples file, or undefined when one is unreadable. */
function pooledCalls(runs: readonly RunCase[], series: 'latency' | 'device'): Float64Array | undefined {
  const all: number[] = [];
  for (const { loaded, c } of runs) {
    const file = c.samplesFile ? readSamplesFile(resolve(loaded.dir, c.samplesFile)) : undefined;
    const calls = file && pooledSeries(file, series);
    if (!calls?.length) return undefined;
    for (const v of calls) all.push(v);
  }
  return sortedCopy(all);
}

function median(values: readonly number[]): number {
  return percentileSorted(sortedCopy(values), 50);
}

export function poolFigure(metric: MetricId, runs: readonly RunCase[]): PooledFigure | undefined {
  const info = METRICS[metric];
  const have = runs.filter((r) => Number.isFinite(metricValue(r.c, metric) ?? NaN));
  if (!have.length) return undefined;
  const values = have.map((r) => metricValue(r.c, metric)!);
  let value: number;
  let p999: number | undefined;
  if (info.tail) {
    // A pooled percentile comes from the pooled calls (the same nearest-rank rule), not from averaging percentiles.
    const sorted = pooledCalls(have, info.tail.samples);
    const stats = (c: CaseResult) => (info.tail!.samples === 'device' ? c.latency?.device : c.latency?.pooled);
    value = sorted ? percentileSorted(sorted, info.tail.percentile) : median(values);
    p999 = sorted ? percentileSorted(sorted, 99.9) : median(have.map((r) => stats(r.c)?.p999 ?? NaN).filter(Number.isFinite));
  } else {
    value = values.reduce((s, v) => s + v, 0) / values.length;
  }
  const blockSets = have.map((r) => metricBlocks(r.c, metric));
  const blocks = blockSets.every((b) => b?.length) ? blockSets.flatMap((b) => b!) : undefined;
  const calls = have.reduce((s, r) => s + (r.c.throughput?.completed ?? 0), 0);
  const pooled = have.length > 1;
  return {
    value: round(value),
    ...(blocks ? { blocks: blocks.map(round) } : {}),
    ...(calls > 0 ? { calls } : {}),
    ...(p999 !== undefined && Number.isFinite(p999) ? { p999: round(p999) } : {}),
    ...(pooled
      ? {
          runValues: values.map(round),
          runIds: have.map((r) => r.loaded.results.runId),
          spread: round(Math.max(...values.map((v) => Math.abs(v / value - 1)))),
        }
      : {}),
  };
}
