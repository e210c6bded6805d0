/**
 * A case's telemetry against time in its measured window, beside its latency: one panel per
 * quantity (latency of the calls ending in each interval, CPU utilisation, frequency, RSS,
 * temperatures, accelerator utilisation...), a line per device, sharing the time axis.
 */
import { TELEMETRY_METRICS, type CaseResult, type TelemetryMetric } from '../../core/index.js';
import type { ExportContext } from '../exporter.js';
import { CONFIG, label, SCHEMA, type ChartSpec } from './common.js';

/** At most this many devices (lines) per panel: "all" first, then the first cores or sensors. */
const MAX_LINES = 8;

const PANEL: Record<TelemetryMetric, string> = {
  'cpu.util': 'CPU busy (%)',
  'cpu.others': 'CPU busy (%)',
  'cpu.freq': 'CPU MHz',
  temp: 'temperature (C)',
  rss: 'RSS (MiB)',
  'mlu.util': 'MLU busy (%)',
  'mlu.mem': 'MLU memory (MiB)',
  'mlu.temp': 'temperature (C)',
  'mlu.power': 'MLU power (W)',
  'bpu.util': 'BPU busy (%)',
  'bpu.freq': 'BPU MHz',
  'soc.temp': 'temperature (C)',
};

export function telemetryChart(c: CaseResult, context: ExportContext): ChartSpec | undefined {
  const file = context.telemetry?.get(c.id);
  if (!file || !file.series.length) return undefined;
  const values: { t: number; v: number; panel: string; line: string }[] = [];
  file.latency.t.forEach((t, i) => values.push({ t, v: file.latency.meanMs[i]!, panel: 'latency (ms)', line: 'mean latency' }));
  const perPanel = new Map<string, number>();
  for (const s of file.series) {
    const panel = PANEL[s.metric as TelemetryMetric] ?? `${s.metric} (${s.unit})`;
    const n = perPanel.get(panel) ?? 0;
    if (n >= MAX_LINES) continue;
    perPanel.set(panel, n + 1);
    const line = s.metric === 'cpu.others' ? 'other processes' : s.metric in TELEMETRY_METRICS && s.metric.startsWith('cpu.util') && s.device === 'all' ? 'all cores' : s.device;
    s.t.forEach((t, i) => values.push({ t, v: s.v[i]!, panel, line }));
  }
  const panels = ['latency (ms)', ...new Set(values.map((v) => v.panel).filter((p) => p !== 'latency (ms)'))];
  const sources = c.telemetry?.sources.map((s) => s.id).join(', ') ?? '';
  return {
    id: `telemetry-${c.id.replace(/[^A-Za-z0-9]+/g, '-')}`,
    title: label(c),
    caption: `against seconds into the measured window (${file.windowSeconds.toFixed(1)} s, every ${file.intervalMs} ms; sources: ${sources}${c.telemetry?.fixtureRoot ? `, read from the test fixture root ${c.telemetry.fixtureRoot}` : ''}); top panel: mean latency of the calls that ended in each interval`,
    spec: {
      $schema: SCHEMA,
      config: { ...CONFIG, facet: { spacing: 6 } },
      data: { values },
      facet: { row: { field: 'panel', type: 'nominal', sort: panels, title: null, header: { labelAngle: 0, labelAlign: 'left', labelFontSize: 10 } } },
      spec: {
        width: 300,
        height: 70,
        mark: { type: 'line', point: values.length < 60 ? { size: 12 } : false, strokeWidth: 1.2 },
        encoding: {
          x: { field: 't', type: 'quantitative', title: 'seconds into the measured window' },
          y: { field: 'v', type: 'quantitative', title: null, scale: { zero: false }, axis: { format: '~g', tickCount: 3 } },
          color: { field: 'line', type: 'nominal', title: null, legend: { orient: 'bottom', columns: 3, labelLimit: 200 } },
        },
      },
      resolve: { scale: { y: 'independent' } },
    },
  };
}
