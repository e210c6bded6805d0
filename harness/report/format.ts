/** Number, label and Markdown formatting shared by the human-readable exporters. */
import { METRICS, type CaseResult, type MetricId } from '../core/index.js';

const WORD = /[A-Za-z0-9]/;

/**
 * Suite-provided text is data: escape what Markdown (GFM) or HTML would interpret in running text
 * and table cells, and nothing else, so the text stays readable as plain text too. Escaped: the
 * backslash, code ticks, emphasis stars, link brackets, table pipes, tildes, < and > (HTML), a
 * leading # and an underscore at a word's edge (inside a word, force_float32, it emphasises
 * nothing). Newlines become spaces: a cell is one line.
 */
export function mdEscape(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[\\`*[\]|<>~]/g, (ch) => `\\${ch}`)
    .replace(/_/g, (ch, at: number, s: string) => (WORD.test(s[at - 1] ?? '') && WORD.test(s[at + 1] ?? '') ? ch : '\\_'))
    .replace(/^#/, '\\#');
}

export function formatMetricValue(metric: MetricId, v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return '-';
  const unit = METRICS[metric].unit;
  if (unit === 'fraction') return `${(v * 100).toFixed(2)}%`;
  if (unit === 'ms') return `${v.toFixed(3)} ms`;
  return `${v.toFixed(2)} img/s`;
}

export function fixed(v: number | undefined, digits = 2): string {
  return v === undefined || !Number.isFinite(v) ? '-' : v.toFixed(digits);
}

export function percent(fraction: number | undefined, digits = 1): string {
  return fraction === undefined || !Number.isFinite(fraction) ? '-' : `${(fraction * 100).toFixed(digits)}%`;
}

/** Labels that must travel with every line about a case (honesty rules). */
export function caseFlags(c: CaseResult): string[] {
  const flags: string[] = [];
  if (c.simulated) flags.push('SIMULATED');
  if (c.fakeSdk) flags.push('FAKE SDK');
  if (c.weights === 'synthetic') flags.push('synthetic weights');
  if (c.status === 'ok' && c.validity && !c.validity.valid) flags.push('INVALID');
  // A merged report holds several machines: every line says which one measured it.
  if (c.machineClass) flags.push(`on ${c.machineClass}${c.host ? ` (${c.host})` : ''}`);
  return flags;
}

/** " (SIMULATED)" / " (FAKE SDK)" after a case id, for lines that carry no labels column. */
export function caseLabel(c: { simulated: boolean; fakeSdk?: boolean }): string {
  return `${c.simulated ? ' (SIMULATED)' : ''}${c.fakeSdk ? ' (FAKE SDK)' : ''}`;
}

export function statusText(c: CaseResult): string {
  if (c.status === 'ok') return c.validity?.valid === false ? 'invalid' : 'ok';
  return c.status;
}

/**
 * Notes and warnings grouped by text: a note shared by many cases (e.g. "synthetic weights
 * stand in") is said once with the cases it applies to, not once per line.
 */
export function groupedNotes(cases: readonly CaseResult[], includeInfo = true): { text: string; caseIds: string[]; severity: 'error' | 'warning' | 'note' }[] {
  const groups = new Map<string, { text: string; caseIds: string[]; severity: 'error' | 'warning' | 'note' }>();
  const add = (text: string, id: string, severity: 'error' | 'warning' | 'note') => {
    const key = `${severity}:${text}`;
    const g = groups.get(key) ?? { text, caseIds: [], severity };
    g.caseIds.push(id);
    groups.set(key, g);
  };
  for (const c of cases) {
    if (c.error) add(`${c.error.kind}: ${c.error.message}`, c.id, 'error');
    for (const w of c.validity?.warnings ?? []) if (includeInfo || w.code !== 'few-tail-samples') add(`${w.code}: ${w.message}`, c.id, 'warning');
    for (const n of c.notes) add(n, c.id, 'note');
    for (const w of c.accuracy?.warnings ?? []) add(`accuracy: ${w}`, c.id, 'warning');
    for (const w of c.telemetry?.warnings ?? []) add(`telemetry ${w.code}: ${w.message}`, c.id, 'warning');
    for (const a of c.telemetry?.absent ?? []) if (includeInfo) add(`telemetry source absent: ${a}`, c.id, 'note');
    for (const p of c.peers ?? []) {
      if (p.status !== 'ok') add(`${p.tool} (vendor tool) ${p.status}: ${p.reason ?? 'no reason given'}`, c.id, 'warning');
      for (const w of p.warnings) add(`${p.tool} (vendor tool): ${w}`, c.id, 'warning');
      for (const n of p.notes ?? []) if (includeInfo) add(`${p.tool} (vendor tool): ${n}`, c.id, 'note');
    }
  }
  return [...groups.values()];
}

export function describeCases(ids: readonly string[]): string {
  return ids.length === 1 ? ids[0]! : `${ids.length} cases (${ids[0]}, ...)`;
}

/** "74.00% [71.5, 76.3]" style: value with its 95% interval, or why there is none. */
export function accuracyCell(c: CaseResult, which: 'top1' | 'top5'): string {
  const a = c.accuracy;
  if (!a) return '-';
  if (a.status !== 'ok') return a.status;
  const p = a[which]!;
  return `${(p.value * 100).toFixed(2)}%`;
}

export function hasAccuracy(cases: readonly CaseResult[]): boolean {
  return cases.some((c) => c.accuracy);
}
