/**
 * summary.md: the short Markdown a pull request or a CI job summary wants (it is also written to
 * $GITHUB_STEP_SUMMARY when that is set): the outcome first, then only what needs attention.
 */
import type { TextExporter } from './exporter.js';
import { caseFlags, fixed, mdEscape, statusText } from './format.js';
import { gateMarkdown } from './gate-format.js';
import type { RunResults } from '../core/index.js';

export function renderSummary(results: RunResults): string {
  const s = results.summary;
  const out: string[] = [];
  out.push(`### infergate: ${mdEscape(results.suite.name)} (${mdEscape(results.runId)})`, '');
  out.push(`${s.total} cases: ${s.ok} ok, ${s.failed} failed, ${s.unavailable} unavailable, ${s.skipped} skipped; ${s.invalid} invalid measurements. Machine class \`${mdEscape(results.env.machineClass)}\`.`, '');
  if (results.gate) out.push(...gateMarkdown(results.gate, true));
  out.push('| case | status | qps | mean ms | p99 ms | labels |', '| --- | --- | ---: | ---: | ---: | --- |');
  for (const c of results.cases) {
    out.push(`| ${mdEscape(c.id)} | ${statusText(c)} | ${fixed(c.throughput?.qps)} | ${fixed(c.latency?.pooled.mean, 3)} | ${fixed(c.latency?.pooled.p99, 3)} | ${caseFlags(c).join(', ')} |`);
  }
  const failed = results.cases.filter((c) => c.error);
  if (failed.length) out.push('', ...failed.map((c) => `- **${mdEscape(c.id)}** ${c.error!.kind}: ${mdEscape(c.error!.message)}`));
  out.push('');
  return out.join('\n');
}

export const summaryExporter: TextExporter = { id: 'summary', fileName: 'summary.md', render: renderSummary };
