/** How verdicts read in Markdown: shared by report.md and the pull-request summary. */
import { caseVerdict, METRIC_IDS, METRICS, type GateReport, type MetricId, type MetricVerdict, type Verdict } from '../core/index.js';
import { formatMetricValue, mdEscape } from './format.js';

export const VERDICT_MARK: Record<Verdict, string> = {
  pass: 'pass',
  improved: 'improved',
  regressed: '**REGRESSED**',
  inconclusive: 'inconclusive',
  invalid: 'invalid',
  missing: 'missing',
};

export function changeText(v: MetricVerdict): string {
  if (v.change === undefined || v.metric === 'case') return '-';
  const sign = v.change > 0 ? '+' : '';
  return METRICS[v.metric].kind === 'accuracy' ? `${sign}${(v.change * 100).toFixed(2)} pt` : `${sign}${(v.change * 100).toFixed(1)}%`;
}

export function valueText(v: MetricVerdict, which: 'baseline' | 'current'): string {
  return v.metric === 'case' ? '-' : formatMetricValue(v.metric, v[which]);
}

export function countsLine(gate: GateReport): string {
  const parts = Object.entries(gate.counts).filter(([, n]) => n > 0).map(([v, n]) => `${n} ${v}`);
  return `${parts.join(', ') || 'no verdicts'}: gate ${gate.exitCode ? '**FAILED**' : 'passed'} (fails on: ${gate.failOn.join(', ')}; alpha ${gate.alpha})`;
}

/**
 * Every case with its verdict (the worst of its metrics) and each metric's verdict beside it:
 * one column per metric the gate judged, in METRIC_IDS order.
 */
export function verdictMatrix(gate: GateReport): { metrics: MetricId[]; rows: { caseId: string; simulated: boolean; verdict: Verdict; byMetric: (Verdict | undefined)[] }[] } {
  const metrics = METRIC_IDS.filter((m) => gate.verdicts.some((v) => v.metric === m));
  const ids = [...new Set(gate.verdicts.map((v) => v.caseId))];
  const rows = ids.map((caseId) => {
    const mine = gate.verdicts.filter((v) => v.caseId === caseId);
    return { caseId, simulated: mine.some((v) => v.simulated), verdict: caseVerdict(gate, caseId)!, byMetric: metrics.map((m) => mine.find((v) => v.metric === m)?.verdict) };
  });
  return { metrics, rows };
}

export function gateMarkdown(gate: GateReport, onlyNotable = false): string[] {
  const out: string[] = [];
  out.push(countsLine(gate), '');
  const matrix = verdictMatrix(gate);
  if (matrix.rows.length && !onlyNotable) {
    out.push(`| case | verdict | ${matrix.metrics.join(' | ')} |`, `| --- | --- |${matrix.metrics.map(() => ' --- |').join('')}`);
    for (const r of matrix.rows) out.push(`| ${mdEscape(r.caseId)}${r.simulated ? ' (SIMULATED)' : ''} | ${VERDICT_MARK[r.verdict]} | ${r.byMetric.map((v) => (v ? VERDICT_MARK[v] : '-')).join(' | ')} |`);
    out.push('');
  }
  const rows = onlyNotable ? gate.verdicts.filter((v) => v.verdict !== 'pass') : gate.verdicts;
  if (rows.length) {
    out.push('| case | metric | verdict | baseline | current | change | test | p | why |');
    out.push('| --- | --- | --- | ---: | ---: | ---: | --- | ---: | --- |');
    for (const v of rows) {
      out.push(
        `| ${mdEscape(v.caseId)}${v.simulated ? ' (SIMULATED)' : ''}${v.fakeSdk ? ' (FAKE SDK)' : ''} | ${v.metric} | ${VERDICT_MARK[v.verdict]} | ${valueText(v, 'baseline')} | ${valueText(v, 'current')} | ${changeText(v)} | ${v.test} | ${v.p === undefined ? '-' : v.p.toPrecision(2)} | ${mdEscape(v.reason)} |`,
      );
    }
    out.push('');
  } else if (onlyNotable) {
    out.push(`All ${gate.verdicts.length} verdicts pass.`, '');
  }
  out.push('Baselines:', '', ...gate.baselines.map((b) => `- ${mdEscape(b.name)} (${mdEscape(b.file)}): ${mdEscape(b.source)}`), '');
  for (const d of gate.envDiff) {
    out.push(`Environment against ${mdEscape(d.source)}:${d.note ? ` ${mdEscape(d.note)}.` : ''}`, '');
    if (!d.changes.length) out.push('- no version changed', '');
    else out.push(...d.changes.map((c) => `- ${mdEscape(c.field)}: ${mdEscape(c.baseline ?? '(none)')} -> ${mdEscape(c.current ?? '(none)')}`), '');
  }
  return out;
}
