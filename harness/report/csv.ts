/** One flat row per case, for spreadsheets and pandas. */
import { stringify } from 'csv-stringify/sync';
import { caseVerdict, METRIC_IDS, type CaseResult, type RunResults } from '../core/index.js';
import type { Exporter } from './exporter.js';

const num = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '' : v);

export function csvRow(results: RunResults, c: CaseResult): Record<string, string | number | boolean> {
  const l = c.latency?.pooled;
  return {
    run_id: results.runId,
    suite: results.suite.name,
    case_id: c.id,
    model: c.key.model,
    target: c.key.target,
    precision: c.key.precision,
    batch: c.key.batch,
    threads: c.key.threads,
    status: c.status,
    simulated: c.simulated,
    weights: c.weights,
    valid: c.validity?.valid ?? '',
    qps: num(c.throughput?.qps),
    completed_calls: num(c.throughput?.completed),
    wall_seconds: num(c.throughput?.wallSeconds),
    latency_n: num(l?.n),
    latency_mean_ms: num(l?.mean),
    latency_sd_ms: num(l?.sd),
    latency_min_ms: num(l?.min),
    latency_p50_ms: num(l?.p50),
    latency_p90_ms: num(l?.p90),
    latency_p95_ms: num(l?.p95),
    latency_p99_ms: num(l?.p99),
    latency_p999_ms: num(l?.p999),
    latency_max_ms: num(l?.max),
    latency_cv: num(l?.cv),
    device_mean_ms: num(c.latency?.device?.mean),
    accuracy_status: c.accuracy?.status ?? '',
    accuracy_n: num(c.accuracy?.n),
    top1: num(c.accuracy?.top1?.value),
    top1_ci_low: num(c.accuracy?.top1?.ci95[0]),
    top1_ci_high: num(c.accuracy?.top1?.ci95[1]),
    top5: num(c.accuracy?.top5?.value),
    top5_ci_low: num(c.accuracy?.top5?.ci95[0]),
    top5_ci_high: num(c.accuracy?.top5?.ci95[1]),
    warnings: (c.validity?.warnings ?? []).map((w) => w.code).join(' '),
    error: c.error ? `${c.error.kind}: ${c.error.message}` : '',
    machine_class: c.machineClass ?? results.env.machineClass,
    // Verdict columns are always present (empty without a gate), so the columns never shift.
    verdict: results.gate ? (caseVerdict(results.gate, c.id) ?? '') : '',
    ...Object.fromEntries(METRIC_IDS.map((m) => [`verdict_${m.replace('.', '_')}`, results.gate?.verdicts.find((v) => v.caseId === c.id && v.metric === m)?.verdict ?? ''])),
  };
}

export const csvExporter: Exporter = {
  id: 'csv',
  fileName: 'results.csv',
  render: (results) => stringify(results.cases.map((c) => csvRow(results, c)), { header: true, cast: { boolean: (v) => (v ? 'true' : 'false') } }),
};
