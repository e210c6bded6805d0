/**
 * The run folder's telemetry/case-NNN.json: every sample series of a case's measured window
 * (seconds from the window's start), and beside it the latency of the calls that ended in each
 * interval, so that a chart (and anyone's own analysis) sees both against the same time axis.
 */
import { z } from 'zod';
import { writeAtomic } from '../util/files.js';
import { readJsonIfValid } from '../util/json-file.js';
import type { Series } from './sampler.js';
import { sortSeries } from './summary.js';

export const TelemetryFileSchema = z.looseObject({
  id: z.string(),
  intervalMs: z.number(),
  /** Epoch ms of the first measured call's start: t = 0. */
  windowStart: z.number(),
  windowSeconds: z.number(),
  series: z.array(z.object({ metric: z.string(), device: z.string(), unit: z.string(), source: z.string(), t: z.array(z.number()), v: z.array(z.number()) })),
  /** Calls that ended in each interval [t, t + interval): their mean latency (ms) and count, all threads. */
  latency: z.object({ t: z.array(z.number()), meanMs: z.array(z.number()), calls: z.array(z.number()) }),
});
export type TelemetryFile = z.output<typeof TelemetryFileSchema>;

const r3 = (x: number) => Math.round(x * 1000) / 1000;

/** Mean latency of the calls ending in each interval of the window. */
export function latencyByInterval(threads: readonly { samples: ArrayLike<number>; ends: ArrayLike<number> }[], start: number, end: number, intervalMs: number): TelemetryFile['latency'] {
  const bins = Math.max(1, Math.ceil((end - start) / intervalMs));
  const sum = new Float64Array(bins);
  const count = new Float64Array(bins);
  for (const th of threads) {
    for (let i = 0; i < th.ends.length; i++) {
      const b = Math.min(bins - 1, Math.max(0, Math.floor((th.ends[i]! - start) / intervalMs)));
      sum[b]! += th.samples[i]!;
      count[b]!++;
    }
  }
  const out: TelemetryFile['latency'] = { t: [], meanMs: [], calls: [] };
  for (let b = 0; b < bins; b++) {
    if (!count[b]) continue;
    out.t.push(r3((b * intervalMs) / 1000));
    out.meanMs.push(r3(sum[b]! / count[b]!));
    out.calls.push(count[b]!);
  }
  return out;
}

export function writeTelemetryFile(path: string, id: string, intervalMs: number, window: { start: number; end: number }, series: readonly Series[], latency: TelemetryFile['latency']): void {
  const body: TelemetryFile = {
    id,
    intervalMs,
    windowStart: window.start,
    windowSeconds: r3((window.end - window.start) / 1000),
    series: sortSeries(series).map((s) => ({ metric: s.metric, device: s.device, unit: s.unit, source: s.source, t: s.points.map((p) => r3((p.t - window.start) / 1000)), v: s.points.map((p) => r3(p.v)) })),
    latency,
  };
  writeAtomic(path, JSON.stringify(body));
}

/** A case's telemetry file, or undefined when absent or unreadable (its chart is then left out). */
export function readTelemetryFile(path: string): TelemetryFile | undefined {
  return readJsonIfValid(path, TelemetryFileSchema);
}
