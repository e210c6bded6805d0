/**
 * `baseline update`: a measured baseline written (or updated) from one or more runs, pooled. Refuses
 * what must never become a baseline: simulated results in a hardware file (and the reverse),
 * invalid or noisy measurements (unless accepted), failed cases, and accuracy from synthetic
 * weights. Output is stable (sorted keys and entries) so that a baseline change reads well in review.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bitsToBase64, type PerImageOutcomes } from '../accuracy/per-image.js';
import { caseId, caseMachineClass, invalidReasons, METRIC_IDS, METRICS, metricValue, type CaseResult, type LoadedResults, type MetricId } from '../core/index.js';
import { UserError } from '../errors.js';
import { baselineObjections, deviceObjections } from '../measure/validity.js';
import { stableJson, writeAtomic } from '../util/files.js';
import { poolFigure, type RunCase } from './pool.js';
import { BASELINE_SCHEMA_VERSION, loadBaselineFile, type BaselineEntryValue, type BaselineFile } from './schema.js';

export interface UpdateOutcome {
  file: string;
  written: number;
  replaced: number;
  refused: { caseId: string; reason: string }[];
  /**
   * Pooled entries whose runs differ by more than the metric's threshold: the gate will not call a
   * change within that spread a regression, so on this machine its resolution is the spread.
   */
  wide: { caseId: string; metric: MetricId; spread: number; threshold: number; message: string }[];
  baseline: BaselineFile;
}

export interface UpdateOptions {
  metrics?: readonly MetricId[];
  /** Take measurements whose validity checks flag noise (high CV, drift, outliers, few samples, cut at maxDuration). */
  acceptNoisy?: boolean;
}

const round = (v: number) => Number(v.toPrecision(7));

export function defaultBaselinePath(loaded: LoadedResults, root: string): string {
  const simulated = loaded.results.cases.length > 0 && loaded.results.cases.every((c) => c.simulated);
  return join(root, 'baselines', 'measured', `${loaded.results.suite.name}${simulated ? '.simulated' : ''}.json`);
}

const NOISY_ADVICE = 'Measure again on a quiet machine, or pass --accept-noisy to take it anyway';

/**
 * Why a case's measurement in a run may not be pooled into the baseline, per timing source: host
 * timing (qps, latency) by the run's validity checks, device time by its own spread, since a busy
 * host does not touch the time a device reports.
 */
function measurementRefusal(c: CaseResult, acceptNoisy: boolean): { host?: string; device?: string } {
  if (c.validity && !c.validity.valid) {
    const why = `invalid measurement (${invalidReasons(c.validity)}): no performance baseline`;
    return { host: why, device: why };
  }
  if (acceptNoisy) return {};
  const host = c.validity ? baselineObjections(c.validity, c.latency?.pooled.n ?? 0) : [];
  const device = c.latency?.device ? deviceObjections(c.latency.device) : [];
  const label = c.latency?.device ? ' (host timing: qps and latency)' : '';
  return {
    ...(host.length ? { host: `noisy measurement, not a baseline${label}: ${host.join('; ')}. ${NOISY_ADVICE}` } : {}),
    ...(device.length ? { device: `noisy device time, not a baseline: ${device.join('; ')}. ${NOISY_ADVICE}` } : {}),
  };
}

export function updateBaseline(runs: LoadedResults | readonly LoadedResults[], to: string, readPerImage: (file: string) => PerImageOutcomes, options: UpdateOptions = {}): UpdateOutcome {
  const all = Array.isArray(runs) ? (runs as readonly LoadedResults[]) : [runs as LoadedResults];
  const metrics = options.metrics ?? METRIC_IDS;
  const existing = existsSync(to) ? loadBaselineFile(to).baseline : undefined;
  if (existing && existing.provenance.type !== 'measured') {
    throw new UserError(`${to} provenance.type: '${existing.provenance.type}': a published baseline is never overwritten by a measurement; write the measured baseline to another file with --to.`);
  }
  const okCases = all.flatMap((l) => l.results.cases.filter((c) => c.status === 'ok'));
  const simulated = existing ? existing.simulated : okCases.length > 0 && okCases.every((c) => c.simulated);
  const refused: UpdateOutcome['refused'] = [];
  const inRun = (l: LoadedResults) => (all.length > 1 ? ` in run ${l.results.runId}` : '');

  // Per case and machine class: the runs whose performance may be pooled, and the latest accuracy.
  const groups = new Map<string, { c: CaseResult; machineClass: string; host: RunCase[]; device: RunCase[]; accuracy?: RunCase }>();
  for (const loaded of all) {
    for (const c of loaded.results.cases) {
      if (c.status !== 'ok') {
        refused.push({ caseId: c.id, reason: `case ${c.status}${inRun(loaded)}${c.error ? ` (${c.error.message})` : ''}` });
        continue;
      }
      if (c.fakeSdk) {
        refused.push({ caseId: c.id, reason: `a FAKE SDK result (test doubles, not hardware) never goes into a baseline${inRun(loaded)}` });
        continue;
      }
      if (c.simulated !== simulated) {
        refused.push({ caseId: c.id, reason: simulated ? 'a hardware result does not go into a simulated baseline' : 'a SIMULATED result never goes into a hardware baseline' });
        continue;
      }
      const machineClass = caseMachineClass(c.target, loaded.results.env);
      const id = `${machineClass}|${c.id}`;
      const g = groups.get(id) ?? { c, machineClass, host: [], device: [] };
      groups.set(id, g);
      const why = measurementRefusal(c, options.acceptNoisy ?? false);
      for (const reason of new Set([why.host, why.device])) if (reason) refused.push({ caseId: c.id, reason: `${reason}${inRun(loaded)}` });
      if (!why.host) g.host.push({ loaded, c });
      if (!why.device) g.device.push({ loaded, c });
      if (c.accuracy?.status === 'ok') g.accuracy = { loaded, c };
    }
  }

  const fresh: BaselineEntryValue[] = [];
  for (const g of groups.values()) {
    for (const metric of metrics) {
      const info = METRICS[metric];
      const common = { key: { ...g.c.key }, metric, machineClass: g.machineClass, unit: info.unit, direction: info.direction, tolerance: info.threshold };
      if (info.kind === 'performance') {
        const pool = info.timing === 'device' ? g.device : g.host;
        const figure = pool.length ? poolFigure(metric, pool) : undefined;
        if (figure) fresh.push({ ...common, runId: pool[pool.length - 1]!.loaded.results.runId, ...figure });
        continue;
      }
      const acc = g.accuracy;
      const value = acc && metricValue(acc.c, metric);
      if (!acc || acc.c.weights !== 'real' || value === undefined) {
        if (metric === 'top1' && g.c.weights === 'synthetic' && g.c.accuracy) refused.push({ caseId: g.c.id, reason: 'synthetic weights: no accuracy baseline' });
        continue;
      }
      const field = metric === 'top1' ? 'top1' : 'top5';
      let perImage: BaselineEntryValue['perImage'];
      if (acc.c.accuracy!.predictionsFile) {
        const outcomes = readPerImage(join(acc.loaded.dir, acc.c.accuracy!.predictionsFile));
        perImage = { imagesSha256: outcomes.imagesSha256, n: outcomes.n, bits: bitsToBase64(outcomes[field]) };
      }
      fresh.push({ ...common, value: round(value), runId: acc.loaded.results.runId, n: acc.c.accuracy!.n, correct: acc.c.accuracy![field]!.correct, ...(perImage ? { perImage } : {}) });
    }
  }
  const sources = all.map((l) => l.file).join(', ');
  if (!fresh.length) {
    const why = refused.length ? refused.map((r) => `${r.caseId}: ${r.reason}`).join('; ') : 'the run has no cases';
    throw new UserError(`${sources}: nothing to write to the baseline ${to}: ${why}.`);
  }

  const identity = (e: BaselineEntryValue) => `${e.machineClass}|${caseId({ batch: 0, threads: 0, ...e.key })}|${e.metric}`;
  const incoming = new Set(fresh.map(identity));
  const kept = (existing?.entries ?? []).filter((e) => !incoming.has(identity(e)));
  const replaced = (existing?.entries.length ?? 0) - kept.length;
  const entries = [...kept, ...fresh].sort((a, b) => (identity(a) < identity(b) ? -1 : identity(a) > identity(b) ? 1 : 0));
  const liveRuns = new Set(entries.flatMap((e) => [e.runId, ...(e.runIds ?? [])]));
  const mine = new Set(all.map((l) => l.results.runId));
  const priorRuns = existing?.provenance.type === 'measured' ? existing.provenance.runs.filter((r) => !mine.has(r.runId) && liveRuns.has(r.runId)) : [];
  const newRuns = all.filter((l) => liveRuns.has(l.results.runId)).map((l) => ({ runId: l.results.runId, date: l.results.startedAt, suite: l.results.suite.name, env: l.results.env as unknown as Record<string, unknown> }));
  const name = all[all.length - 1]!.results.suite.name;
  const baseline: BaselineFile = {
    schemaVersion: BASELINE_SCHEMA_VERSION,
    name: existing?.name ?? name,
    description: existing?.description ?? `measured from suite ${name}`,
    simulated,
    provenance: { type: 'measured', runs: [...priorRuns, ...newRuns] },
    ...(existing?.table ? { table: existing.table } : {}),
    entries,
  };
  writeAtomic(to, stableJson(baseline));
  return { file: to, written: fresh.length, replaced, refused, wide: wideSpreads(fresh), baseline };
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function wideSpreads(entries: readonly BaselineEntryValue[]): UpdateOutcome['wide'] {
  return entries.flatMap((e) => {
    const threshold = e.tolerance ?? METRICS[e.metric].threshold;
    if (e.spread === undefined || e.spread <= threshold || !e.runValues) return [];
    const id = caseId(e.key);
    const message = `${id} ${METRICS[e.metric].label}: the ${e.runValues.length} runs differ by up to ${pct(e.spread)} (${e.runValues.join(', ')} ${e.unit}), more than the ${pct(threshold)} threshold, so the gate will not call a change under ${pct(e.spread)} a regression. This machine's speed drifts between runs: pool quieter runs, or measure longer (measure.minDuration)`;
    return [{ caseId: id, metric: e.metric, spread: e.spread, threshold, message }];
  });
}
