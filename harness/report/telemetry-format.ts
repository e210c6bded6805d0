/** Telemetry and vendor-tool figures as short text: the terminal's columns, the case log line, report cells. */
import type { PeerResult, TelemetryMetricSummary, TelemetrySummary } from '../core/index.js';

const meanOf = (ms: readonly TelemetryMetricSummary[]) => ms.reduce((a, m) => a + m.mean, 0) / ms.length;

/** "cpu 97% (others 3%), 2.40 GHz, rss 312 MiB, 61 C, bpu 87%": what the case's window looked like. */
export function telemetryBrief(t: TelemetrySummary | undefined): string {
  if (!t) return '-';
  const by = (metric: string) => t.metrics.filter((m) => m.metric === metric);
  const parts: string[] = [];
  const cpu = by('cpu.util').find((m) => m.device === 'all');
  const others = by('cpu.others')[0];
  if (cpu) parts.push(`cpu ${cpu.mean.toFixed(0)}%${others ? ` (others ${others.mean.toFixed(0)}%)` : ''}`);
  const freq = by('cpu.freq');
  if (freq.length) parts.push(`${(meanOf(freq) / 1000).toFixed(2)} GHz`);
  const rss = by('rss')[0];
  if (rss) parts.push(`rss ${rss.max.toFixed(0)} MiB`);
  const temps = [...by('temp'), ...by('soc.temp')];
  if (temps.length) parts.push(`${Math.max(...temps.map((m) => m.max)).toFixed(0)} C`);
  for (const [metric, name] of [['mlu.util', 'mlu'], ['bpu.util', 'bpu']] as const) {
    const u = by(metric);
    if (u.length) parts.push(`${name} ${meanOf(u).toFixed(0)}%`);
  }
  const mluTemp = by('mlu.temp')[0];
  if (mluTemp) parts.push(`mlu ${mluTemp.max.toFixed(0)} C`);
  const power = by('mlu.power')[0];
  if (power) parts.push(`${power.mean.toFixed(0)} W`);
  // Values read from a fixture root are not this machine's: say so wherever they are shown.
  return (parts.join(', ') || 'no samples') + (t.fixtureRoot ? ' (sysfs fixture)' : '');
}

/** "hrt_model_exec 448.8 img/s (x0.98)": a vendor tool's figure and infergate / tool. */
export function peerBrief(p: PeerResult): string {
  if (p.status !== 'ok') return `${p.tool} ${p.status}`;
  if (p.qps !== undefined) return `${p.tool} ${p.qps.toFixed(1)} img/s${p.ratio.qps !== undefined ? ` (x${p.ratio.qps.toFixed(2)})` : ''}`;
  if (p.latencyMean !== undefined) return `${p.tool} ${p.latencyMean.toFixed(3)} ms${p.ratio.latencyMean !== undefined ? ` (x${p.ratio.latencyMean.toFixed(2)})` : ''}`;
  return `${p.tool} no figure`;
}
