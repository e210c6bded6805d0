/**
 * One flat row per case, for spreadsheets and pandas. Every numeric header names its unit
 * (qps_img_per_s, latency_mean_ms, latency_cv_percent, top1_percent); lists (warnings) are
 * ';'-joined so that a cell never needs splitting on spaces inside messages.
 */
import { stringify } from 'csv-stringify/sync';
import { caseVerdict, METRIC_IDS, resultMachineClass, type CaseResult, type RunResults } from '../core/index.js';
import type { TextExporter } from './exporter.js';

const num = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '' : v);
const pct = (v: number | undefined) => num(v === undefined ? undefined : v * 100);

export function csvRow(results: RunResults, c: CaseResult): Record<string, string | number | boolean> {
  const l = c.latency?.pooled;
  const a = c.accuracy?.status === 'ok' ? c.accuracy : undefined;
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
    qps_img_per_s: num(c.throughput?.qps),
    completed_calls: num(c.throughput?.completed),
    wall_s: num(c.throughput?.wallSeconds),
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
    latency_cv_percent: pct(l?.cv),
    device_mean_ms: num(c.latency?.device?.mean),
    device_p99_ms: num(c.latency?.device?.p99),
    accuracy_status: c.accuracy?.status ?? '',
    accuracy_n: num(c.accuracy?.n),
    top1_percent: pct(a?.top1?.value),
    top1_ci95_low_percent: pct(a?.top1?.ci95[0]),
    top1_ci95_high_percent: pct(a?.top1?.ci95[1]),
    top5_percent: pct(a?.top5?.value),
    top5_ci95_low_percent: pct(a?.top5?.ci95[0]),
    top5_ci95_high_percent: pct(a?.top5?.ci95[1]),
    accuracy_encoding: a?.encoding ?? '',
    accuracy_warnings: (a?.warnings ?? []).join('; '),
    input_cache: a?.inputCache?.status ?? '',
    input_cache_bytes: num(a?.inputCache?.bytes),
    warnings: (c.validity?.warnings ?? []).map((w) => w.code).join(';'),
    error: c.error ? `${c.error.kind}: ${c.error.message}` : '',
    started_at: c.startedAt ?? results.startedAt,
    duration_s: num(c.durationSeconds),
    host: c.host ?? results.env.host,
    // FAKE SDK results (the fake lab's test doubles) are never hardware figures.
    fake_sdk: c.fakeSdk ?? false,
    // The key its baselines hang on: the simulated board for a simulated case, not the host CPU
    // (a merged file keeps each case's own).
    machine_class: resultMachineClass(c, results.env),
    // Verdict columns are always present (empty without a gate), so the columns never shift.
    verdict: results.gate ? (caseVerdict(results.gate, c.id) ?? '') : '',
    ...Object.fromEntries(METRIC_IDS.map((m) => [`verdict_${m.replace('.', '_')}`, results.gate?.verdicts.find((v) => v.caseId === c.id && v.metric === m)?.verdict ?? ''])),
  };
}

export const csvExporter: TextExporter = {
  id: 'csv',
  fileName: 'results.csv',
  render: (results) => stringify(results.cases.map((c) => csvRow(results, c)), { header: true, cast: { boolean: (v) => (v ? 'true' : 'false') } }),
};
