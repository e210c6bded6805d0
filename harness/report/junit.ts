/**
 * junit.xml for CI test panels: with a gate, one testcase per case x metric (regressions, and
 * any verdict the gate fails on, are failures; invalid, missing and inconclusive are skipped
 * with the reason); without one, one testcase per case (failed cases are errors).
 */
import type { TextExporter } from './exporter.js';
import { changeText, valueText } from './gate-format.js';
import type { RunResults } from '../core/index.js';

/** Text from suites or tools is data: escape everything XML would interpret, drop what it cannot hold. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\x09\x0A\x0D\x20-\uD7FF\uE000-\uFFFD]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function renderJunit(results: RunResults): string {
  const cases: string[] = [];
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  const suiteName = xmlEscape(`infergate.${results.suite.name}`);
  if (results.gate) {
    const gate = results.gate;
    for (const v of gate.verdicts) {
      const name = xmlEscape(`${v.caseId}${v.simulated ? ' (SIMULATED)' : ''}${v.fakeSdk ? ' (FAKE SDK)' : ''} ${v.metric}`);
      const detail = xmlEscape(`${v.verdict}: baseline ${valueText(v, 'baseline')}, current ${valueText(v, 'current')}, change ${changeText(v)}; ${v.reason}${v.source ? ` [${v.source}]` : ''}`);
      let body = '';
      if (gate.failOn.includes(v.verdict)) {
        failures++;
        body = `<failure type="${v.verdict}" message="${detail}"/>`;
      } else if (v.verdict === 'invalid' || v.verdict === 'missing' || v.verdict === 'inconclusive') {
        skipped++;
        body = `<skipped message="${detail}"/>`;
      } else {
        body = `<system-out>${detail}</system-out>`;
      }
      cases.push(`    <testcase classname="${suiteName}" name="${name}">${body}</testcase>`);
    }
  } else {
    for (const c of results.cases) {
      const name = xmlEscape(`${c.id}${c.simulated ? ' (SIMULATED)' : ''}${c.fakeSdk ? ' (FAKE SDK)' : ''}`);
      let body = '';
      if (c.status === 'failed') {
        errors++;
        body = `<error type="${c.error?.kind ?? 'failed'}" message="${xmlEscape(c.error?.message ?? 'failed')}"/>`;
      } else if (c.status !== 'ok') {
        skipped++;
        body = `<skipped message="${xmlEscape(c.notes.join('; ') || c.status)}"/>`;
      } else {
        body = `<system-out>${xmlEscape(`${c.throughput?.qps.toFixed(2)} qps, mean ${c.latency?.pooled.mean.toFixed(3)} ms${c.validity?.valid === false ? ' (INVALID)' : ''}`)}</system-out>`;
      }
      cases.push(`    <testcase classname="${suiteName}" name="${name}" time="${(c.durationSeconds ?? 0).toFixed(3)}">${body}</testcase>`);
    }
  }
  const total = cases.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="infergate" tests="${total}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
    `  <testsuite name="${suiteName}" tests="${total}" failures="${failures}" errors="${errors}" skipped="${skipped}" timestamp="${xmlEscape(results.startedAt)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

export const junitExporter: TextExporter = { id: 'junit', fileName: 'junit.xml', render: renderJunit };
