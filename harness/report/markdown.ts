/** report.md: a human summary fit for a pull request or a CI job summary. */
import type { TextExporter } from './exporter.js';
import type { RunResults } from '../core/index.js';
import { caseFlags, caseLabel, fixed, groupedNotes, hasAccuracy, mdEscape, percent, statusText } from './format.js';
import { gateMarkdown } from './gate-format.js';
import { peerBrief, telemetryBrief } from './telemetry-format.js';

export function renderMarkdown(results: RunResults): string {
  const env = results.env;
  const out: string[] = [];
  out.push(`# infergate run ${mdEscape(results.runId)}`, '');
  out.push(`Suite **${mdEscape(results.suite.name)}** (${mdEscape(results.suite.file)})${results.suite.description ? `: ${mdEscape(results.suite.description)}` : ''}`, '');
  const s = results.summary;
  out.push(`${s.total} cases: ${s.ok} ok, ${s.failed} failed, ${s.unavailable} unavailable, ${s.skipped} skipped; ${s.invalid} invalid measurements.`, '');
  if (results.cases.some((c) => c.simulated)) out.push('> **Simulated devices** appear below: their figures come from a service-time model, not hardware.', '');
  if (results.cases.some((c) => c.fakeSdk)) out.push("> **FAKE SDK**: some cases ran on infergate's fake vendor SDKs (test doubles, not hardware): their figures check the harness only and are never compared with hardware baselines.", '');
  if (results.cases.some((c) => c.weights === 'synthetic')) out.push('> **Synthetic weights** (seeded, same architecture) stand in for some models: timing only, no accuracy.', '');
  out.push('| model | target | precision | batch | threads | status | qps | mean ms | p50 ms | p99 ms | CV | labels |');
  out.push('| --- | --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |');
  for (const c of results.cases) {
    const l = c.latency?.pooled;
    out.push(
      `| ${mdEscape(c.key.model)} | ${mdEscape(c.key.target)} | ${c.key.precision} | ${c.key.batch} | ${c.key.threads} | ${statusText(c)} | ${fixed(c.throughput?.qps)} | ${fixed(l?.mean, 3)} | ${fixed(l?.p50, 3)} | ${fixed(l?.p99, 3)} | ${percent(l?.cv)} | ${caseFlags(c).join(', ')} |`,
    );
  }
  if (hasAccuracy(results.cases)) {
    out.push('', '## Accuracy', '');
    out.push('| case | dataset | n | top-1 | 95% CI | top-5 | 95% CI | skipped | predictions | input encoding | input cache |');
    out.push('| --- | --- | ---: | ---: | --- | ---: | --- | ---: | --- | --- | --- |');
    const ci = (p?: { ci95: [number, number] }) => (p ? `${(p.ci95[0] * 100).toFixed(1)}-${(p.ci95[1] * 100).toFixed(1)}%` : '-');
    for (const c of results.cases) {
      const a = c.accuracy;
      if (!a) continue;
      if (a.status !== 'ok') {
        out.push(`| ${mdEscape(c.id)}${caseLabel(c)} | - | - | ${a.status} | | | | | ${mdEscape(a.reason ?? '')} | | |`);
        continue;
      }
      out.push(
        `| ${mdEscape(c.id)}${caseLabel(c)} | ${mdEscape(a.dataset?.name ?? '')} | ${a.n} | ${(a.top1!.value * 100).toFixed(2)}% | ${ci(a.top1)} | ${(a.top5!.value * 100).toFixed(2)}% | ${ci(a.top5)} | ${a.skipped?.length ?? 0} | ${mdEscape(a.predictionsFile ?? '')} | ${mdEscape(a.encoding ?? '')} | ${inputCache(a.inputCache)} |`,
      );
    }
  }
  const notes = groupedNotes(results.cases).map(
    (g) => `- ${g.severity === 'error' ? '**error** ' : ''}${mdEscape(g.caseIds.join(', '))}: ${mdEscape(g.text)}`,
  );
  if (notes.length) out.push('', '## Notes and warnings', '', ...notes);
  if (results.gate) out.push('', '## Gate against baselines', '', ...gateMarkdown(results.gate));
  const withT = results.cases.filter((c) => c.telemetry || c.peers?.length);
  if (withT.length) {
    out.push('', '## Telemetry and vendor tools', '', 'Telemetry over each measured window (series in telemetry/case-NNN.json); vendor tools run on the same artifact after measuring (ratio infergate / tool).', '');
    out.push('| case | telemetry | vendor tool |', '| --- | --- | --- |');
    for (const c of withT) out.push(`| ${mdEscape(c.id)}${caseLabel(c)} | ${mdEscape(telemetryBrief(c.telemetry))} | ${mdEscape(c.peers?.map(peerBrief).join('; ') || '-')} |`);
  }
  const withDevice = results.cases.filter((c) => c.latency?.device);
  if (withDevice.length) {
    out.push('', '## Device compute time (ms)', '', 'Reported by the backend beside host latency (MagicMind notifiers; for simulated devices, the modelled service time).', '');
    out.push('| case | n | mean | p50 | p99 | host mean |');
    out.push('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const c of withDevice) {
      const d = c.latency!.device!;
      out.push(`| ${mdEscape(c.id)}${caseLabel(c)} | ${d.n} | ${fixed(d.mean, 3)} | ${fixed(d.p50, 3)} | ${fixed(d.p99, 3)} | ${fixed(c.latency!.pooled.mean, 3)} |`);
    }
  }
  out.push('', '## Per-thread latency (ms)', '');
  out.push('| case | thread | n | mean | sd | min | p50 | p90 | p95 | p99 | p99.9 | max |');
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const c of results.cases) {
    for (const t of c.latency?.perThread ?? []) {
      out.push(`| ${mdEscape(c.id)}${caseLabel(c)} | ${t.thread} | ${t.n} | ${fixed(t.mean, 3)} | ${fixed(t.sd, 3)} | ${fixed(t.min, 3)} | ${fixed(t.p50, 3)} | ${fixed(t.p90, 3)} | ${fixed(t.p95, 3)} | ${fixed(t.p99, 3)} | ${fixed(t.p999, 3)} | ${fixed(t.max, 3)} |`);
    }
  }
  out.push('', '## Environment', '');
  out.push(`- machine class: \`${mdEscape(env.machineClass)}\`; host ${mdEscape(env.host)}`);
  out.push(`- CPU: ${mdEscape(env.cpu.model)} x ${env.cpu.logicalCores}${env.cpu.flags?.length ? ` (${env.cpu.flags.join(' ')})` : ''}; memory ${env.memoryGiB} GiB`);
  out.push(`- OS: ${mdEscape(env.os.distro ?? env.os.platform)} ${mdEscape(env.os.release)} ${env.os.arch}; Node ${env.node}`);
  out.push(`- runtimes: ${Object.entries(env.runtimes).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  out.push(`- infergate ${env.infergate.version}${env.infergate.commit ? ` @ ${env.infergate.commit.slice(0, 12)}${env.infergate.dirty ? ' (dirty)' : ''}` : ''}`);
  if (results.mergedFrom) {
    out.push('', '## Merged runs', '', '| run | machine class | host | started | shard | infergate |', '| --- | --- | --- | --- | --- | --- |');
    for (const r of results.mergedFrom) {
      out.push(`| ${mdEscape(r.runId)} | ${mdEscape(r.machineClass)} | ${mdEscape(r.host)} | ${r.startedAt} | ${r.shard ? `${r.shard.index}/${r.shard.count}` : '-'} | ${mdEscape(r.env.infergate.version)} |`);
    }
    out.push('', 'The environment above is the newest run\'s; each case\'s label names the machine class that measured it.');
  }
  out.push('', '## Definitions', '', `- percentile: ${results.definitions.percentile}`, `- throughput: ${results.definitions.throughput}`, '');
  return out.join('\n');
}

export const markdownExporter: TextExporter = { id: 'markdown', fileName: 'report.md', render: renderMarkdown };

/** "hit, 186.8 MB" / "filled, 186.8 MB" / "miss (dataset.cache: false)". */
function inputCache(ic?: { status: string; bytes: number; reason?: string }): string {
  if (!ic) return '';
  return `${ic.status}${ic.bytes ? `, ${(ic.bytes / 1e6).toFixed(1)} MB` : ''}${ic.reason ? ` (${mdEscape(ic.reason)})` : ''}`;
}
