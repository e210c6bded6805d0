/**
 * Runs -> series -> steps: group the runs' points by machine class, case and metric (oldest
 * first), find the steps in each, and name for each step the first run after it and what changed
 * in the environment between the last run before and that run.
 */
import { METRICS, type MetricId } from '../core/index.js';
import { flattenEnv } from '../baseline/env-diff.js';
import { detectSteps } from './detect.js';
import type { HistoryRun, RunPoint } from './read.js';
import { HISTORY_SCHEMA_VERSION, type HistoryReport, type HistorySeries, type HistoryStep } from './schema.js';

export interface AnalyzeOptions {
  metrics: readonly MetricId[];
  alpha: number;
  thresholds: Record<MetricId, number>;
  caseFilter?: string;
  since?: string;
  files: number;
  now?: Date;
}

interface Member {
  run: HistoryRun;
  point: RunPoint;
}

/** The versions that changed between two runs, for the case's own target (other boards' drivers are noise here). */
export function envChanges(before: HistoryRun, after: HistoryRun, target: string, cache = new WeakMap<HistoryRun, Map<string, Record<string, string>>>()): HistoryStep['envChanges'] {
  const flat = (run: HistoryRun) => {
    let byTarget = cache.get(run);
    if (!byTarget) cache.set(run, (byTarget = new Map()));
    let f = byTarget.get(target);
    if (!f) byTarget.set(target, (f = flattenEnv(run.env as unknown as Record<string, unknown>, new Set([target]))));
    return f;
  };
  const a = flat(before);
  const b = flat(after);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .sort()
    .filter((field) => a[field] !== b[field])
    .map((field) => ({ field, before: a[field], after: b[field] }));
}

export function analyzeHistory(runs: readonly HistoryRun[], opts: AnalyzeOptions): HistoryReport {
  const groups = new Map<string, Member[]>();
  for (const run of runs) {
    for (const point of run.points) {
      const id = `${point.machineClass}\u0000${point.caseId}\u0000${point.metric}`;
      let g = groups.get(id);
      if (!g) groups.set(id, (g = []));
      g.push({ run, point });
    }
  }
  const envCache = new WeakMap<HistoryRun, Map<string, Record<string, string>>>();
  const series: HistorySeries[] = [];
  const metricOrder = (m: MetricId) => opts.metrics.indexOf(m);
  const ordered = [...groups.values()].sort((x, y) => {
    const a = x[0]!.point;
    const b = y[0]!.point;
    return a.machineClass.localeCompare(b.machineClass) || a.caseId.localeCompare(b.caseId) || metricOrder(a.metric) - metricOrder(b.metric);
  });
  for (const members of ordered) {
    const { machineClass, caseId, metric, simulated, key } = members[0]!.point;
    const info = METRICS[metric];
    const threshold = opts.thresholds[metric];
    const fitted = members.filter((m) => m.point.value !== undefined);
    const found = detectSteps(
      fitted.map((m) => ({ value: m.point.value!, blocks: m.point.blocks })),
      { threshold, absolute: info.kind === 'accuracy', alpha: opts.alpha },
    );
    const steps: HistoryStep[] = found.map((cp) => {
      const first = fitted[cp.index]!.run;
      const last = fitted[cp.index - 1]!.run;
      const worse = info.direction === 'higher' ? cp.change < 0 : cp.change > 0;
      return {
        ...cp,
        runId: first.runId,
        startedAt: first.startedAt,
        previousRunId: last.runId,
        direction: worse ? 'regressed' : 'improved',
        test: 'mann-whitney',
        envChanges: envChanges(last, first, key.target, envCache),
      };
    });
    series.push({
      machineClass,
      caseId,
      metric,
      simulated,
      unit: info.unit,
      direction: info.direction,
      threshold,
      points: members.map((m) => ({ runId: m.run.runId, startedAt: m.run.startedAt, ...(m.point.value !== undefined ? { value: m.point.value } : { excluded: m.point.excluded ?? 'no value' }) })),
      steps,
    });
  }
  return {
    schemaVersion: HISTORY_SCHEMA_VERSION,
    generatedAt: (opts.now ?? new Date()).toISOString(),
    alpha: opts.alpha,
    thresholds: Object.fromEntries(opts.metrics.map((m) => [m, opts.thresholds[m]])),
    filter: { case: opts.caseFilter, since: opts.since, metrics: [...opts.metrics] },
    files: opts.files,
    runs: runs.length,
    series,
  };
}
