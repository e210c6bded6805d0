/**
 * The telemetry sampler: polls its sources on the case process's main thread (the measuring
 * threads are workers or the driver's std::threads, so it never runs on them) every interval,
 * each source no more often than it allows and never twice at once. Timestamps are epoch ms, the
 * clock the measurement's call timelines use, so the series can be cut to the measured window
 * afterwards: warm-up samples are dropped by `trimToWindow`.
 */
import { TELEMETRY_METRICS, type TelemetryMetric, type TelemetrySourceId } from '../core/index.js';
import type { Reading, TelemetrySource } from './source.js';

export interface Point {
  /** Epoch ms of the poll. */
  t: number;
  /** For a rate: epoch ms of the source's previous poll (the value covers since..t). */
  since?: number;
  v: number;
}

export interface Series {
  metric: TelemetryMetric;
  device: string;
  unit: string;
  source: TelemetrySourceId;
  rate: boolean;
  ceiling?: number;
  points: Point[];
}

export interface SamplerOutcome {
  series: Series[];
  /** Epoch ms of every tick. */
  ticks: number[];
  /** Per source (by index in the list given): the first reason a poll failed, and how many failed. */
  failures: { source: TelemetrySource; reason: string; count: number }[];
}

export interface Sampler {
  /** Poll now (the measured window just opened), then keep the interval from here. */
  sampleNow(): void;
  stop(): Promise<SamplerOutcome>;
}

export const epochNow = (): number => performance.timeOrigin + performance.now();

export function startSampler(sources: readonly TelemetrySource[], intervalMs: number): Sampler {
  const series = new Map<string, Series>();
  const ticks: number[] = [];
  const failures = new Map<TelemetrySource, { source: TelemetrySource; reason: string; count: number }>();
  const state = sources.map(() => ({ last: epochNow(), busy: undefined as Promise<void> | undefined }));

  const record = (src: TelemetrySource, since: number, t: number, readings: readonly Reading[]) => {
    for (const r of readings) {
      const key = `${r.metric}|${r.device}`;
      let s = series.get(key);
      if (!s) {
        s = { metric: r.metric, device: r.device, unit: TELEMETRY_METRICS[r.metric].unit, source: src.id, rate: !!r.rate, points: [] };
        series.set(key, s);
      }
      if (r.ceiling !== undefined) s.ceiling = r.ceiling;
      s.points.push(r.rate ? { t, since, v: r.value } : { t, v: r.value });
    }
  };
  const fail = (src: TelemetrySource, err: unknown) => {
    const f = failures.get(src) ?? { source: src, reason: err instanceof Error ? err.message : String(err), count: 0 };
    f.count++;
    failures.set(src, f);
  };

  /** force: poll regardless of the source's own minimum interval ('cheap': only sources that allow every tick). */
  const tick = (force: 'all' | 'cheap' | false = false) => {
    const now = epochNow();
    ticks.push(now);
    sources.forEach((src, i) => {
      const st = state[i]!;
      const forced = force === 'all' || (force === 'cheap' && src.minIntervalMs === 0);
      if (st.busy || (!forced && now - st.last < src.minIntervalMs - intervalMs / 2)) return;
      const since = st.last;
      st.last = now;
      try {
        const out = src.poll();
        if (Array.isArray(out)) record(src, since, now, out);
        else {
          st.busy = (out as Promise<Reading[]>)
            .then((r) => record(src, since, now, r))
            .catch((err: unknown) => {
              const partial = (err as { partial?: Reading[] }).partial;
              if (partial?.length) record(src, since, now, partial);
              fail(src, err);
            })
            .finally(() => (st.busy = undefined));
        }
      } catch (err) {
        fail(src, err);
      }
    });
  };

  let timer: NodeJS.Timeout | undefined = setInterval(() => tick(), intervalMs);
  return {
    sampleNow() {
      if (!timer) return;
      clearInterval(timer);
      tick('all');
      timer = setInterval(() => tick(), intervalMs);
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      tick('cheap');
      // A tool still running gets a moment; past it, its poll is dropped (the case does not wait on a hung tool).
      const pending = state.map((s) => s.busy).filter((p): p is Promise<void> => !!p);
      if (pending.length) await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, 1000).unref())]);
      return { series: [...series.values()], ticks, failures: [...failures.values()] };
    },
  };
}

/**
 * The series cut to the measured window [start, end] (epoch ms): an instant's value counts when
 * taken inside it, a rate's when most of the time it covers lies inside it (so warm-up is out).
 */
export function trimToWindow(series: readonly Series[], start: number, end: number): Series[] {
  const inside = (p: Point) => {
    if (p.since === undefined) return p.t >= start && p.t <= end;
    const overlap = Math.min(p.t, end) - Math.max(p.since, start);
    return overlap > 0 && overlap >= 0.5 * (p.t - p.since);
  };
  return series.map((s) => ({ ...s, points: s.points.filter(inside) })).filter((s) => s.points.length > 0);
}
