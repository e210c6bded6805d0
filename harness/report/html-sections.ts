/**
 * The tables and lists of report.html: what report.md says (cases, accuracy, notes and warnings
 * said once with the cases they apply to, the gate with its environment diff, device time,
 * per-thread latency, environment, definitions), as escaped HTML.
 */
import { caseVerdict, type CaseResult, type GateReport, type RunResults, type Verdict } from '../core/index.js';
import { caseFlags, fixed, groupedNotes, hasAccuracy, percent, statusText } from './format.js';
import { changeText, countsLine, valueText, verdictMatrix } from './gate-format.js';
import { peerBrief, telemetryBrief } from './telemetry-format.js';

export function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!);
}

const e = htmlEscape;
const row = (cells: string[], tag = 'td') => `<tr>${cells.map((c) => `<${tag}>${c}</${tag}>`).join('')}</tr>`;
const table = (header: string[], rows: string[]) => ['<table>', `<thead>${row(header, 'th')}</thead><tbody>`, ...rows, '</tbody></table>'].join('\n');
const simulated = (c: { simulated: boolean; fakeSdk?: boolean }) => `${c.simulated ? ' <span class="flag">SIMULATED</span>' : ''}${c.fakeSdk ? ' <span class="flag">FAKE SDK</span>' : ''}`;

export function verdictBadge(v: Verdict | undefined): string {
  return v ? `<span class="verdict v-${v}">${v}</span>` : '-';
}

export function casesTable(results: RunResults): string {
  const gate = results.gate;
  const acc = hasAccuracy(results.cases);
  const withT = results.cases.some((c) => c.telemetry);
  const withP = results.cases.some((c) => c.peers?.length);
  const header = ['case', 'status', 'qps', 'mean ms', 'p50 ms', 'p99 ms', 'CV', ...(acc ? ['top-1', 'top-5'] : []), ...(gate ? ['verdict'] : []), ...(withT ? ['telemetry'] : []), ...(withP ? ['vendor tool'] : []), 'labels'];
  const rows = results.cases.map((c) => {
    const l = c.latency?.pooled;
    const top = (k: 'top1' | 'top5') => (c.accuracy?.status === 'ok' ? percent(c.accuracy[k]?.value, 2) : c.accuracy ? e(c.accuracy.status) : '-');
    const status = statusText(c);
    return row([
      e(c.id),
      `<span class="status s-${status}">${status}</span>`,
      fixed(c.throughput?.qps),
      fixed(l?.mean, 3),
      fixed(l?.p50, 3),
      fixed(l?.p99, 3),
      percent(l?.cv),
      ...(acc ? [top('top1'), top('top5')] : []),
      ...(gate ? [verdictBadge(caseVerdict(gate, c.id))] : []),
      ...(withT ? [e(telemetryBrief(c.telemetry))] : []),
      ...(withP ? [e(c.peers?.map(peerBrief).join('; ') || '-')] : []),
      `<span class="flag">${e(caseFlags(c).join(', '))}</span>`,
    ]);
  });
  return table(header, rows);
}

export function accuracySection(cases: readonly CaseResult[]): string[] {
  if (!hasAccuracy(cases)) return [];
  const ci = (p?: { ci95: [number, number] }) => (p ? `${(p.ci95[0] * 100).toFixed(1)}-${(p.ci95[1] * 100).toFixed(1)}%` : '-');
  const rows = cases
    .filter((c) => c.accuracy)
    .map((c) => {
      const a = c.accuracy!;
      if (a.status !== 'ok') return row([e(c.id), '-', '-', e(a.status), '', '', '', '', e(a.reason ?? '')]);
      return row([e(c.id), e(a.dataset?.name ?? ''), String(a.n), percent(a.top1?.value, 2), ci(a.top1), percent(a.top5?.value, 2), ci(a.top5), String(a.skipped?.length ?? 0), e(a.predictionsFile ?? '')]);
    });
  // The input encoding each scored case used (resize/crop rule, layout, colour), and what the run-time checks saw.
  const encodings = cases.filter((c) => c.accuracy?.encoding).map((c) => `<li>${e(c.id)}${simulated(c)}: ${e(c.accuracy!.encoding!)}${(c.accuracy!.warnings ?? []).map((w) => `<br><b>warning</b>: ${e(w)}`).join('')}</li>`);
  return ['<h2 id="accuracy">Accuracy</h2>', table(['case', 'dataset', 'n', 'top-1', '95% CI', 'top-5', '95% CI', 'skipped', 'predictions'], rows), ...(encodings.length ? ['<ul>', ...encodings, '</ul>'] : [])];
}

/** Each note once, with the cases it applies to (a note shared by 20 cases is one line). */
export function notesSection(cases: readonly CaseResult[]): string[] {
  const groups = groupedNotes(cases);
  if (!groups.length) return [];
  const items = groups.map((g) => {
    const who = g.caseIds.length === cases.length && cases.length > 1 ? `all ${cases.length} cases` : g.caseIds.map(e).join(', ');
    return `<li class="note n-${g.severity}"><span class="who">${who}</span>: ${e(g.text)}</li>`;
  });
  return ['<h2 id="notes">Notes and warnings</h2>', '<ul>', ...items, '</ul>'];
}

export function gateSection(gate: GateReport): string[] {
  const out = ['<h2 id="gate">Gate against baselines</h2>', `<p>${e(countsLine(gate)).replace(/\*\*(.+?)\*\*/g, '<b>$1</b>')}</p>`];
  // Each case's verdict (its worst metric's) beside every metric's.
  const matrix = verdictMatrix(gate);
  out.push(table(['case', 'verdict', ...matrix.metrics.map(e)], matrix.rows.map((r) => row([e(r.caseId) + simulated(r), verdictBadge(r.verdict), ...r.byMetric.map((v) => (v ? verdictBadge(v) : '-'))]))));
  const rows = gate.verdicts.map((v) =>
    row([e(v.caseId) + simulated(v), e(v.metric), verdictBadge(v.verdict), e(valueText(v, 'baseline')), e(valueText(v, 'current')), e(changeText(v)), e(v.test), v.p === undefined ? '-' : v.p.toPrecision(2), e(v.reason)]),
  );
  out.push(table(['case', 'metric', 'verdict', 'baseline', 'current', 'change', 'test', 'p', 'why'], rows));
  out.push('<p>Baselines:</p><ul>', ...gate.baselines.map((b) => `<li>${e(b.name)} (${e(b.file)}): ${e(b.source)}</li>`), '</ul>');
  for (const d of gate.envDiff) {
    out.push(`<p>Environment against ${e(d.source)}${d.note ? `: ${e(d.note)}` : ''}</p><ul>`);
    out.push(...(d.changes.length ? d.changes.map((c) => `<li>${e(c.field)}: ${e(c.baseline ?? '(none)')} &rarr; ${e(c.current ?? '(none)')}</li>`) : ['<li>no version changed</li>']), '</ul>');
  }
  return out;
}

export function deviceSection(cases: readonly CaseResult[]): string[] {
  const withDevice = cases.filter((c) => c.latency?.device);
  if (!withDevice.length) return [];
  const rows = withDevice.map((c) => {
    const d = c.latency!.device!;
    return row([e(c.id) + simulated(c), String(d.n), fixed(d.mean, 3), fixed(d.p50, 3), fixed(d.p99, 3), fixed(c.latency!.pooled.mean, 3)]);
  });
  return ['<h3>Device compute time (ms)</h3>', '<p>Reported by the backend beside host latency (MagicMind notifiers; for simulated devices, the modelled service time).</p>', table(['case', 'n', 'mean', 'p50', 'p99', 'host mean'], rows)];
}

export function perThreadSection(cases: readonly CaseResult[]): string[] {
  const rows = cases.flatMap((c) =>
    (c.latency?.perThread ?? []).map((t) =>
      row([e(c.id) + simulated(c), String(t.thread), String(t.n), ...[t.mean, t.sd, t.min, t.p50, t.p90, t.p95, t.p99, t.p999, t.max].map((v) => fixed(v, 3))]),
    ),
  );
  if (!rows.length) return [];
  return ['<h2 id="threads">Per-thread latency (ms)</h2>', table(['case', 'thread', 'n', 'mean', 'sd', 'min', 'p50', 'p90', 'p95', 'p99', 'p99.9', 'max'], rows)];
}

export function environmentSection(results: RunResults): string[] {
  const env = results.env;
  const items = [
    `machine class <code>${e(env.machineClass)}</code>; host ${e(env.host)}`,
    `CPU: ${e(env.cpu.model)} x ${env.cpu.logicalCores}${env.cpu.flags?.length ? ` (${e(env.cpu.flags.join(' '))})` : ''}; memory ${env.memoryGiB} GiB`,
    `OS: ${e(env.os.distro ?? env.os.platform)} ${e(env.os.release)} ${e(env.os.arch)}; Node ${e(env.node)}`,
    `runtimes: ${e(Object.entries(env.runtimes).map(([k, v]) => `${k} ${v}`).join(', ') || '(none)')}`,
    ...Object.entries(env.targets).map(([t, v]) => `${e(t)}: ${e(Object.entries(v).map(([k, x]) => `${k} ${x}`).join(', ') || '(no versions readable)')}`),
    `infergate ${e(env.infergate.version)}${env.infergate.commit ? ` @ ${e(env.infergate.commit.slice(0, 12))}${env.infergate.dirty ? ' (dirty)' : ''}` : ''}`,
  ];
  return [
    '<h2 id="environment">Environment</h2>',
    '<ul>',
    ...items.map((i) => `<li>${i}</li>`),
    '</ul>',
    '<h2 id="definitions">Definitions</h2>',
    `<ul><li>percentile: ${e(results.definitions.percentile)}</li><li>throughput: ${e(results.definitions.throughput)}</li></ul>`,
  ];
}
