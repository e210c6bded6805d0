/**
 * `baseline update`: a measured baseline written (or updated) from a run. Refuses what must never
 * become a baseline: simulated results in a hardware file (and the reverse), invalid
 * measurements, failed cases, and accuracy from synthetic weights. Output is stable (sorted keys
 * and entries) so that a baseline change reads well in review.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { bitsToBase64, type PerImageOutcomes } from '../accuracy/per-image.js';
import { caseId, caseMachineClass, invalidReasons, METRIC_IDS, METRICS, metricBlocks, metricValue, type LoadedResults, type MetricId } from '../core/index.js';
import { UserError } from '../errors.js';
import { stableJson, writeAtomic } from '../util/files.js';
import { BASELINE_SCHEMA_VERSION, loadBaselineFile, type BaselineEntryValue, type BaselineFile } from './schema.js';

export interface UpdateOutcome {
  file: string;
  written: number;
  replaced: number;
  refused: { caseId: string; reason: string }[];
  baseline: BaselineFile;
}

const round = (v: number) => Number(v.toPrecision(7));

export function defaultBaselinePath(loaded: LoadedResults, root: string): string {
  const simulated = loaded.results.cases.length > 0 && loaded.results.cases.every((c) => c.simulated);
  return join(root, 'baselines', 'measured', `${loaded.results.suite.name}${simulated ? '.simulated' : ''}.json`);
}

export function updateBaseline(loaded: LoadedResults, to: string, readPerImage: (file: string) => PerImageOutcomes, metrics: readonly MetricId[] = METRIC_IDS): UpdateOutcome {
  const { results } = loaded;
  const existing = existsSync(to) ? loadBaselineFile(to).baseline : undefined;
  if (existing && existing.provenance.type !== 'measured') {
    throw new UserError(`${to} provenance.type: '${existing.provenance.type}': a published baseline is never overwritten by a measurement; write the measured baseline to another file with --to.`);
  }
  const okCases = results.cases.filter((c) => c.status === 'ok');
  const simulated = existing ? existing.simulated : okCases.length > 0 && okCases.every((c) => c.simulated);
  const refused: UpdateOutcome['refused'] = [];
  const fresh: BaselineEntryValue[] = [];

  for (const c of results.cases) {
    if (c.status !== 'ok') {
      refused.push({ caseId: c.id, reason: `case ${c.status}${c.error ? ` (${c.error.message})` : ''}` });
      continue;
    }
    if (c.fakeSdk) {
      refused.push({ caseId: c.id, reason: 'a FAKE SDK result (test doubles, not hardware) never goes into a baseline' });
      continue;
    }
    if (c.simulated !== simulated) {
      refused.push({ caseId: c.id, reason: simulated ? 'a hardware result does not go into a simulated baseline' : 'a SIMULATED result never goes into a hardware baseline' });
      continue;
    }
    const machineClass = caseMachineClass(c.target, results.env);
    for (const metric of metrics) {
      const info = METRICS[metric];
      const value = metricValue(c, metric);
      const common = (v: number) => ({ key: { ...c.key }, metric, machineClass, value: round(v), unit: info.unit, direction: info.direction, tolerance: info.threshold, runId: results.runId });
      if (info.kind === 'performance') {
        if (c.validity && !c.validity.valid) {
          if (metric === 'qps') refused.push({ caseId: c.id, reason: `invalid measurement (${invalidReasons(c.validity)}): no performance baseline` });
          continue;
        }
        if (value === undefined || !Number.isFinite(value)) continue;
        const blocks = metricBlocks(c, metric);
        fresh.push({ ...common(value), ...(blocks?.length ? { blocks: blocks.map(round) } : {}) });
        continue;
      }
      if (c.weights !== 'real' || value === undefined || c.accuracy?.status !== 'ok') {
        if (metric === 'top1' && c.weights === 'synthetic' && c.accuracy) refused.push({ caseId: c.id, reason: 'synthetic weights: no accuracy baseline' });
        continue;
      }
      const field = metric === 'top1' ? 'top1' : 'top5';
      let perImage: BaselineEntryValue['perImage'];
      if (c.accuracy.predictionsFile) {
        const outcomes = readPerImage(join(loaded.dir, c.accuracy.predictionsFile));
        perImage = { imagesSha256: outcomes.imagesSha256, n: outcomes.n, bits: bitsToBase64(outcomes[field]) };
      }
      fresh.push({
        ...common(value),
        n: c.accuracy.n,
        correct: c.accuracy[field]!.correct,
        ...(perImage ? { perImage } : {}),
      });
    }
  }
  if (!fresh.length) {
    const why = refused.length ? refused.map((r) => `${r.caseId}: ${r.reason}`).join('; ') : 'the run has no cases';
    throw new UserError(`${loaded.file}: nothing to write to the baseline ${to}: ${why}.`);
  }

  const identity = (e: BaselineEntryValue) => `${e.machineClass}|${caseId({ batch: 0, threads: 0, ...e.key })}|${e.metric}`;
  const incoming = new Set(fresh.map(identity));
  const kept = (existing?.entries ?? []).filter((e) => !incoming.has(identity(e)));
  const replaced = (existing?.entries.length ?? 0) - kept.length;
  const entries = [...kept, ...fresh].sort((a, b) => (identity(a) < identity(b) ? -1 : identity(a) > identity(b) ? 1 : 0));
  const liveRuns = new Set(entries.map((e) => e.runId));
  const priorRuns = existing?.provenance.type === 'measured' ? existing.provenance.runs.filter((r) => r.runId !== results.runId && liveRuns.has(r.runId)) : [];
  const baseline: BaselineFile = {
    schemaVersion: BASELINE_SCHEMA_VERSION,
    name: existing?.name ?? results.suite.name,
    description: existing?.description ?? `measured from suite ${results.suite.name}`,
    simulated,
    provenance: {
      type: 'measured',
      runs: [...priorRuns, { runId: results.runId, date: results.startedAt, suite: results.suite.name, env: results.env as unknown as Record<string, unknown> }],
    },
    ...(existing?.table ? { table: existing.table } : {}),
    entries,
  };
  writeAtomic(to, stableJson(baseline));
  return { file: to, written: fresh.length, replaced, refused, baseline };
}
