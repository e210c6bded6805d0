/** The terminal view of a history report: one row per series, then one line per step naming the run and the change. */
import type { HistoryReport, HistorySeries, HistoryStep } from './schema.js';

const fmt = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(1) : Math.abs(v) >= 1 ? v.toFixed(3) : v.toPrecision(3));

export function changeText(step: Pick<HistoryStep, 'change'>, s: Pick<HistorySeries, 'unit'>): string {
  const sign = step.change > 0 ? '+' : '';
  return s.unit === 'fraction' ? `${sign}${(step.change * 100).toFixed(2)} points` : `${sign}${(step.change * 100).toFixed(1)}%`;
}

/** A p-value as printed; the normal approximation underflows to 0 for hundreds of blocks. */
export function pText(p: number): string {
  return p === 0 ? '<1e-300' : `=${p.toPrecision(2)}`;
}

export function envText(step: HistoryStep): string {
  if (!step.envChanges.length) return 'no environment change recorded';
  return step.envChanges.map((c) => `${c.field} ${c.before ?? '(none)'} -> ${c.after ?? '(none)'}`).join('; ');
}

export function stepLine(s: HistorySeries, step: HistoryStep): string {
  const night = step.index + 1;
  const fitted = s.points.filter((p) => p.value !== undefined).length;
  return (
    `step ${step.direction} at run ${step.runId} (${step.startedAt}, run ${night} of ${fitted}): ${s.metric} ${fmt(step.before)} -> ${fmt(step.after)} ` +
    `(${changeText(step, s)}; Mann-Whitney p${pText(step.p)} over ${step.samples === 'blocks' ? 'block values' : 'per-run values'} of ${step.runsBefore} vs ${step.runsAfter} runs); ` +
    `environment since ${step.previousRunId}: ${envText(step)}`
  );
}

export function renderHistoryTable(report: HistoryReport): string {
  const header = ['machine class', 'case', 'metric', 'runs', 'first', 'last', 'latest', 'steps'];
  const rows = report.series.map((s) => {
    const used = s.points.filter((p) => p.value !== undefined);
    const latest = used.at(-1)?.value;
    return [
      s.machineClass,
      s.caseId + (s.simulated ? ' SIMULATED' : ''),
      s.metric,
      String(used.length) + (used.length < s.points.length ? ` (+${s.points.length - used.length} excluded)` : ''),
      s.points[0]?.startedAt.slice(0, 10) ?? '-',
      s.points.at(-1)?.startedAt.slice(0, 10) ?? '-',
      latest === undefined ? '-' : `${fmt(latest)} ${s.unit === 'fraction' ? '' : s.unit}`.trim(),
      s.steps.length ? s.steps.map((st) => `${changeText(st, s)} @ ${st.runId}`).join(', ') : 'none',
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out = [line(header), ...rows.map(line)];
  const steps = report.series.flatMap((s) => s.steps.map((st) => `  ${s.machineClass} ${s.caseId}: ${stepLine(s, st)}`));
  const total = report.series.reduce((n, s) => n + s.steps.length, 0);
  out.push('', `${report.series.length} series from ${report.runs} runs (${report.files} results files); ${total} step${total === 1 ? '' : 's'} (alpha ${report.alpha}; thresholds ${Object.entries(report.thresholds).map(([m, t]) => `${m} ${m.startsWith('top') ? `${t * 100} points` : `${(t * 100).toFixed(0)}%`}`).join(', ')})`);
  out.push(...steps);
  return out.join('\n') + '\n';
}
