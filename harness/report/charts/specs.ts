/**
 * The charts of report.html as Vega-Lite specs (pure data: no geometry is computed here, Vega
 * lays everything out): latency distribution per case, qps against threads and against batch,
 * device against host time, and each gated metric's change with its interval and verdict colour.
 */
import { METRICS, VERDICT_ORDER, type CaseResult, type GateReport, type RunResults, type Verdict } from '../../core/index.js';
import type { ExportContext } from '../exporter.js';
import { CONFIG, label, SCHEMA, type ChartSpec } from './common.js';
import { telemetryChart } from './telemetry.js';

export type { ChartSpec, VegaLiteSpec } from './common.js';

/** Verdict colours, shared with the page's tables (html.ts). */
export const VERDICT_COLOUR: Record<Verdict, string> = {
  regressed: '#c62828',
  invalid: '#7b1fa2',
  inconclusive: '#ef6c00',
  missing: '#757575',
  improved: '#1565c0',
  pass: '#2e7d32',
};

/** A CDF needs no more points than a chart has pixels across. */
const CDF_POINTS = 300;

const measured = (cases: readonly CaseResult[]) => cases.filter((c) => c.status === 'ok' && c.latency && c.throughput && c.latency.pooled.n > 0);

/** Points of the empirical CDF: every sample when few, else evenly spaced ranks (min and max kept). */
function cdfPoints(samples: readonly (readonly number[])[] | undefined, c: CaseResult): { points: { ms: number; p: number }[]; calls?: number } {
  const all = samples?.flat().sort((a, b) => a - b) ?? [];
  if (all.length) {
    const n = all.length;
    const m = Math.min(n, CDF_POINTS);
    const ranks = m === 1 ? [n - 1] : Array.from({ length: m }, (_, i) => Math.round((i * (n - 1)) / (m - 1)));
    return { points: ranks.map((r) => ({ ms: all[r]!, p: (r + 1) / n })), calls: n };
  }
  const l = c.latency!.pooled;
  const q: [number, number][] = [[l.min, 0], [l.p50, 0.5], [l.p90, 0.9], [l.p95, 0.95], [l.p99, 0.99], [l.p999, 0.999], [l.max, 1]];
  return { points: q.map(([ms, p]) => ({ ms, p })) };
}

export function latencyChart(c: CaseResult, context: ExportContext): ChartSpec {
  const l = c.latency!.pooled;
  const { points, calls } = cdfPoints(context.samples?.get(c.id), c);
  // One stall would squeeze the whole curve into a corner: the axis stops at p99.9, and a tail
  // far from the median gets a log axis so that both the body and the tail stay readable.
  const top = Math.max(l.p999, l.p99 * 1.02);
  const log = l.min > 0 && top / l.p50 > 3;
  const marks = [
    { q: `p50 ${l.p50.toFixed(3)} ms`, ms: l.p50 },
    { q: `p99 ${l.p99.toFixed(3)} ms`, ms: l.p99 },
  ];
  return {
    id: `latency-${c.id.replace(/[^A-Za-z0-9]+/g, '-')}`,
    title: label(c),
    caption: `${calls ? `${calls} calls` : 'summary percentiles (no samples file)'}; axis cut at p99.9 (max ${l.max.toFixed(3)} ms)`,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      width: 300,
      height: 150,
      layer: [
        {
          data: { values: points },
          mark: { type: 'line', interpolate: 'step-after', clip: true },
          encoding: {
            x: { field: 'ms', type: 'quantitative', title: `latency (ms${log ? ', log scale' : ''})`, scale: { type: log ? 'log' : 'linear', domain: [l.min, top], nice: false } },
            y: { field: 'p', type: 'quantitative', title: 'share of calls', axis: { format: '%' }, scale: { domain: [0, 1] } },
          },
        },
        {
          data: { values: marks },
          mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1.5 },
          encoding: {
            x: { field: 'ms', type: 'quantitative' },
            color: { field: 'q', type: 'nominal', title: null, scale: { range: ['#1565c0', '#c62828'] }, legend: { orient: 'bottom-right', labelFontSize: 10 } },
          },
        },
      ],
    },
  };
}

type ScalingRow = { series: string; threads: number; batch: number; qps: number };

/** qps against one dimension, a line per series holding the others fixed; only where it varies. */
function scalingChart(results: RunResults, along: 'threads' | 'batch'): ChartSpec | undefined {
  const other = along === 'threads' ? 'batch' : 'threads';
  const rows: ScalingRow[] = measured(results.cases).map((c) => ({
    series: `${c.key.model}/${c.key.target}/${c.key.precision} ${other === 'batch' ? 'b' : 't'}${c.key[other]}${c.simulated ? ' SIMULATED' : ''}`,
    threads: c.key.threads,
    batch: c.key.batch,
    qps: c.throughput!.qps,
  }));
  const varying = new Set(rows.filter((r) => rows.some((x) => x.series === r.series && x[along] !== r[along])).map((r) => r.series));
  const values = rows.filter((r) => varying.has(r.series));
  if (!values.length) return undefined;
  return {
    id: `qps-${along}`,
    title: `qps against ${along}`,
    caption: `images per second; one line per model/target/precision at fixed ${other}`,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      width: 360,
      height: 220,
      data: { values },
      mark: { type: 'line', point: { filled: true, size: 50 } },
      encoding: {
        x: { field: along, type: 'ordinal', title: along, axis: { labelAngle: 0 } },
        y: { field: 'qps', type: 'quantitative', title: 'qps (img/s)' },
        color: { field: 'series', type: 'nominal', title: null, legend: { orient: 'right', labelLimit: 320 } },
      },
    },
  };
}

function deviceChart(results: RunResults): ChartSpec | undefined {
  const withDevice = measured(results.cases).filter((c) => c.latency!.device);
  if (!withDevice.length) return undefined;
  const values = withDevice.flatMap((c) => [
    { case: label(c), time: 'device compute', ms: c.latency!.device!.mean },
    { case: label(c), time: 'host call', ms: c.latency!.pooled.mean },
  ]);
  return {
    id: 'device-host',
    title: 'device time against host latency (mean)',
    caption: 'device compute time as the backend reports it, beside the host-measured call latency',
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      width: 360,
      height: { step: 9 },
      data: { values },
      mark: 'bar',
      encoding: {
        y: { field: 'case', type: 'nominal', title: null, sort: null, axis: { labelLimit: 600 } },
        yOffset: { field: 'time', type: 'nominal' },
        x: { field: 'ms', type: 'quantitative', title: 'mean (ms)' },
        color: { field: 'time', type: 'nominal', title: null, scale: { range: ['#6a1b9a', '#90a4ae'] }, legend: { orient: 'bottom' } },
      },
    },
  };
}

/** Each gated metric's change with its 95% interval, coloured by verdict; ticks at +-threshold. */
function gateChart(gate: GateReport, kind: 'performance' | 'accuracy'): ChartSpec | undefined {
  const scale = 100; // relative change in %, accuracy change in points
  const rows = gate.verdicts.filter((v) => v.metric !== 'case' && METRICS[v.metric].kind === kind && v.change !== undefined && Number.isFinite(v.change));
  if (!rows.length) return undefined;
  const values = rows.map((v) => ({
    row: `${v.caseId}${v.simulated ? ' SIMULATED' : ''} ${v.metric}`,
    change: v.change! * scale,
    lo: (v.changeCi?.[0] ?? v.change!) * scale,
    hi: (v.changeCi?.[1] ?? v.change!) * scale,
    verdict: v.verdict,
  }));
  const thresholds = rows.flatMap((v) => (v.threshold === undefined ? [] : [-1, 1].map((s) => ({ row: `${v.caseId}${v.simulated ? ' SIMULATED' : ''} ${v.metric}`, t: s * v.threshold! * scale }))));
  const unit = kind === 'accuracy' ? 'change (percentage points)' : 'change against baseline (%)';
  const y = { field: 'row', type: 'nominal', title: null, sort: null, axis: { labelLimit: 600 } };
  const present = VERDICT_ORDER.filter((v) => values.some((x) => x.verdict === v));
  return {
    id: `gate-${kind}`,
    title: kind === 'accuracy' ? 'accuracy against baseline' : 'speed against baseline',
    caption: `${unit}: dot = change, bar = 95% interval (none when the baseline has no samples), grey ticks = the practical threshold`,
    spec: {
      $schema: SCHEMA,
      config: CONFIG,
      width: 380,
      height: { step: 16 },
      layer: [
        { data: { values: [{ zero: 0 }] }, mark: { type: 'rule', color: '#999' }, encoding: { x: { field: 'zero', type: 'quantitative' } } },
        { data: { values: thresholds }, mark: { type: 'tick', orient: 'vertical', color: '#9e9e9e', thickness: 2 }, encoding: { y, x: { field: 't', type: 'quantitative' } } },
        { data: { values }, mark: { type: 'rule', strokeWidth: 2 }, encoding: { y, x: { field: 'lo', type: 'quantitative', title: unit }, x2: { field: 'hi' }, color: { field: 'verdict', type: 'nominal', legend: null, scale: { domain: present, range: present.map((v) => VERDICT_COLOUR[v]) } } } },
        { data: { values }, mark: { type: 'point', filled: true, size: 60 }, encoding: { y, x: { field: 'change', type: 'quantitative' }, color: { field: 'verdict', type: 'nominal', title: 'verdict', scale: { domain: present, range: present.map((v) => VERDICT_COLOUR[v]) } } } },
      ],
    },
  };
}

export interface ReportCharts {
  latency: ChartSpec[];
  /** Per case: telemetry and latency against time in the measured window. */
  telemetry: ChartSpec[];
  scaling: ChartSpec[];
  device?: ChartSpec;
  gate: ChartSpec[];
}

export function reportCharts(results: RunResults, context: ExportContext): ReportCharts {
  const present = <T>(x: T | undefined): x is T => x !== undefined;
  return {
    latency: measured(results.cases).map((c) => latencyChart(c, context)),
    telemetry: measured(results.cases).map((c) => telemetryChart(c, context)).filter(present),
    scaling: [scalingChart(results, 'threads'), scalingChart(results, 'batch')].filter(present),
    device: deviceChart(results),
    gate: results.gate ? [gateChart(results.gate, 'performance'), gateChart(results.gate, 'accuracy')].filter(present) : [],
  };
}
