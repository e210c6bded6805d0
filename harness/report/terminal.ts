/** The table printed at the end of a run: coloured on a TTY, plain otherwise or with NO_COLOR. */
import { Chalk, type ChalkInstance } from 'chalk';
import type { TextExporter } from './exporter.js';
import { accuracyCell, caseFlags, describeCases, fixed, groupedNotes, hasAccuracy, percent, statusText } from './format.js';
import { caseVerdict, type CaseResult, type GateReport, type RunResults, type Verdict } from '../core/index.js';
import { changeText, countsLine, valueText } from './gate-format.js';
import { peerBrief, telemetryBrief } from './telemetry-format.js';

/**
 * Colour by the conventions: FORCE_COLOR (non-empty) forces it even when piped (0 or false turn
 * it off; 2 and 3 ask for 256 and 16M colours), else NO_COLOR (non-empty) turns it off, else a TTY
 * that is not TERM=dumb gets it. Chalk closes every style before a newline and reopens it after,
 * so a coloured span never leaks into the next line.
 */
export function colourLevel(stream: Pick<NodeJS.WriteStream, 'isTTY'>, env: NodeJS.ProcessEnv = process.env): 0 | 1 | 2 | 3 {
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') {
    if (force === '0' || force === 'false') return 0;
    return force === '2' ? 2 : force === '3' ? 3 : 1;
  }
  if (env.NO_COLOR) return 0;
  return stream.isTTY && env.TERM !== 'dumb' ? 1 : 0;
}

export function terminalChalk(stream: Pick<NodeJS.WriteStream, 'isTTY'> = process.stdout, env: NodeJS.ProcessEnv = process.env): ChalkInstance {
  return new Chalk({ level: colourLevel(stream, env) });
}

function pad(text: string, width: number, right = false): string {
  const visible = text.replace(/\x1b\[[0-9;]*m/g, '').length;
  const fill = ' '.repeat(Math.max(0, width - visible));
  return right ? fill + text : text + fill;
}

export function renderTable(results: RunResults, c: ChalkInstance): string {
  const withAccuracy = hasAccuracy(results.cases);
  const gate = results.gate;
  const withTelemetry = results.cases.some((r) => r.telemetry);
  const withPeers = results.cases.some((r) => r.peers?.length);
  const header = ['case', 'status', 'qps', 'mean ms', 'p50 ms', 'p99 ms', 'CV', ...(withAccuracy ? ['top-1', 'top-5'] : []), ...(gate ? ['verdict'] : []), ...(withTelemetry ? ['telemetry'] : []), ...(withPeers ? ['vendor tool'] : []), 'labels'];
  const rows = results.cases.map((r: CaseResult) => {
    const l = r.latency?.pooled;
    const status = statusText(r);
    const colour = status === 'ok' ? c.green : status === 'invalid' ? c.yellow : c.red;
    return [
      `${r.key.model} ${r.key.target} ${r.key.precision} b${r.key.batch} t${r.key.threads}`,
      colour(status),
      fixed(r.throughput?.qps),
      fixed(l?.mean, 3),
      fixed(l?.p50, 3),
      fixed(l?.p99, 3),
      percent(l?.cv),
      ...(withAccuracy ? [accuracyCell(r, 'top1'), accuracyCell(r, 'top5')] : []),
      ...(gate ? [verdictCell(caseVerdict(gate, r.id), c)] : []),
      ...(withTelemetry ? [telemetryBrief(r.telemetry)] : []),
      ...(withPeers ? [r.peers?.map(peerBrief).join('; ') || '-'] : []),
      caseFlags(r).map((f) => (f === 'SIMULATED' || f === 'FAKE SDK' || f === 'INVALID' ? c.yellow(f) : c.dim(f))).join(', '),
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.replace(/\x1b\[[0-9;]*m/g, '').length)));
  const numeric = new Set(withAccuracy ? [2, 3, 4, 5, 6, 7, 8] : [2, 3, 4, 5, 6]);
  const line = (cells: string[]) => cells.map((cell, i) => pad(cell, widths[i]!, numeric.has(i))).join('  ').trimEnd();
  const out = [c.bold(line(header)), ...rows.map(line)];
  for (const g of groupedNotes(results.cases, false)) {
    const colour = g.severity === 'error' ? c.red : g.severity === 'warning' ? c.yellow : c.dim;
    out.push(colour(`  ${describeCases(g.caseIds)}: ${g.text}`));
  }
  if (gate) out.push(...gateLines(gate, c));
  return out.join('\n') + '\n';
}

function verdictCell(v: Verdict | undefined, c: ChalkInstance): string {
  if (!v) return '-';
  if (v === 'regressed') return c.red.bold(v);
  if (v === 'pass' || v === 'improved') return c.green(v);
  return c.yellow(v);
}

/** Below the table: every verdict that is not a pass, the outcome, and what changed in the environment. */
function gateLines(gate: GateReport, c: ChalkInstance): string[] {
  const out = ['', c.bold(`gate: ${countsLine(gate).replace(/\*\*/g, '')}`)];
  for (const v of gate.verdicts.filter((x) => x.verdict !== 'pass')) {
    out.push(`  ${verdictCell(v.verdict, c)} ${v.caseId}${v.simulated ? c.yellow(' SIMULATED') : ''}${v.fakeSdk ? c.yellow(' FAKE SDK') : ''} ${v.metric}: ${valueText(v, 'baseline')} -> ${valueText(v, 'current')} (${changeText(v)}); ${v.reason}`);
  }
  for (const d of gate.envDiff) {
    const changes = d.changes.map((x) => `${x.field} ${x.baseline ?? '(none)'} -> ${x.current ?? '(none)'}`).join('; ');
    out.push(c.dim(`  environment vs ${d.source}: ${changes || 'no version changed'}${d.note ? ` (${d.note})` : ''}`));
  }
  return out;
}

export function terminalExporter(stream: NodeJS.WriteStream = process.stdout): TextExporter {
  const chalk = terminalChalk(stream);
  return { id: 'terminal', render: (results) => renderTable(results, chalk) };
}
