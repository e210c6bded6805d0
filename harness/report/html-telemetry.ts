/** report.html's telemetry and vendor-tool tables: min/mean/max per metric and device, each tool's figures beside infergate's. */
import { TELEMETRY_METRICS, type CaseResult, type TelemetryMetric } from '../core/index.js';
import { fixed } from './format.js';
import { htmlEscape as e } from './html-sections.js';

const row = (cells: string[], tag = 'td') => `<tr>${cells.map((c) => `<${tag}>${c}</${tag}>`).join('')}</tr>`;
const table = (header: string[], rows: string[]) => ['<table>', `<thead>${row(header, 'th')}</thead><tbody>`, ...rows, '</tbody></table>'].join('\n');
const flags = (c: CaseResult) => `${c.simulated ? ' <span class="flag">SIMULATED</span>' : ''}${c.fakeSdk ? ' <span class="flag">FAKE SDK</span>' : ''}`;

export function telemetryTable(cases: readonly CaseResult[]): string[] {
  const withT = cases.filter((c) => c.telemetry?.metrics.length);
  if (!withT.length) return [];
  const rows = withT.flatMap((c) =>
    c.telemetry!.metrics.map((m) =>
      row([e(c.id) + flags(c), e(m.metric), e(m.device), e(m.unit), String(m.n), fixed(m.min, 1), fixed(m.mean, 1), fixed(m.max, 1), m.ceiling === undefined ? '-' : fixed(m.ceiling, 0)]),
    ),
  );
  const fixture = withT.find((c) => c.telemetry!.fixtureRoot)?.telemetry!.fixtureRoot;
  const legend = [...new Set(withT.flatMap((c) => c.telemetry!.metrics.map((m) => m.metric)))].map((m) => `<li><code>${e(m)}</code>: ${e(TELEMETRY_METRICS[m as TelemetryMetric].what)}</li>`);
  return [
    '<h3>Telemetry over each measured window (min / mean / max)</h3>',
    ...(fixture ? [`<p class="callout">/proc and /sys were read from the test fixture root <code>${e(fixture)}</code> (INFERGATE_SYSFS_ROOT), not from this machine.</p>`] : []),
    table(['case', 'metric', 'device', 'unit', 'samples', 'min', 'mean', 'max', 'maximum'], rows),
    '<ul>',
    ...legend,
    '</ul>',
  ];
}

export function peersSection(cases: readonly CaseResult[]): string[] {
  const withP = cases.filter((c) => c.peers?.length);
  if (!withP.length) return [];
  const rows = withP.flatMap((c) =>
    c.peers!.map((p) =>
      row([
        e(c.id) + flags(c),
        `${e(p.tool)}${p.version ? ` ${e(p.version)}` : ''}`,
        e(p.status),
        fixed(p.qps),
        fixed(c.throughput?.qps),
        p.ratio.qps === undefined ? '-' : fixed(p.ratio.qps, 3),
        fixed(p.latencyMean, 3),
        fixed(c.latency?.pooled.mean, 3),
        p.ratio.latencyMean === undefined ? '-' : fixed(p.ratio.latencyMean, 3),
        e(p.outputFile ?? ''),
        e([p.reason, ...p.warnings].filter(Boolean).join('; ')),
      ]),
    ),
  );
  return [
    '<h2 id="peers">Vendor tools (second opinion)</h2>',
    "<p>The vendor's own benchmark tool run on the same artifact with the same threads and batch, after infergate measured it. Each tool measures by its own definitions; the ratio is infergate / tool.</p>",
    table(['case', 'tool', 'status', 'tool qps', 'infergate qps', 'ratio', 'tool mean ms', 'infergate mean ms', 'ratio', 'output', 'notes'], rows),
  ];
}
