/**
 * Results against baselines: a verdict per case and metric, and the environment diff. This file
 * only orchestrates: matching lives in match.ts, judging in judge-*.ts, the diff in env-diff.ts.
 */
import { caseId, FAKE_SDK_NOTE, METRICS, resultMachineClass, VERDICTS, type GateReport, type MetricId, type MetricVerdict, type RunResults, type Verdict } from '../core/index.js';
import { simulatedHardware } from '../targets/catalog.js';
import { environmentDiffs } from './env-diff.js';
import { judgeAccuracy, type PerImageReader } from './judge-accuracy.js';
import { judgeDeviceFirst } from './device-first.js';
import { judgePerformance } from './judge-performance.js';
import type { SamplesReader } from './judge-tail.js';
import { chooseEntry, describeSource, entriesFor, type Located } from './match.js';
import type { LoadedBaseline } from './schema.js';

export interface GateOptions {
  /** Significance level of the tests; 0.01 keeps A/A false alarms rare (see bench:gate). */
  alpha?: number;
  /** Per-metric practical thresholds, overriding the baseline entries' own tolerances. */
  thresholds?: Partial<Record<MetricId, number>>;
  /** Verdicts that fail the gate (exit 1); default: regressed only. */
  failOn?: Verdict[];
}

export const DEFAULT_ALPHA = 0.01;

export function compareResults(
  results: RunResults,
  baselines: readonly LoadedBaseline[],
  perImage: PerImageReader = () => undefined,
  options: GateOptions = {},
  samples: SamplesReader = () => undefined,
): GateReport {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const failOn = options.failOn ?? ['regressed'];
  const thresholds = Object.fromEntries(Object.values(METRICS).map((m) => [m.id, options.thresholds?.[m.id] ?? m.threshold])) as Record<MetricId, number>;
  const all: Located[] = baselines.flatMap((loaded) => loaded.baseline.entries.map((entry) => ({ entry, loaded })));
  const verdicts: MetricVerdict[] = [];
  const used = new Set<Located>();
  const usedFiles = new Map<LoadedBaseline, Set<string>>();

  for (const c of results.cases) {
    const mc = resultMachineClass(c, results.env);
    const candidates = entriesFor(all, c.key);
    const hardware = c.simulated ? simulatedHardware(c.key.target) : undefined;
    const twins = !candidates.length && hardware ? entriesFor(all, c.key, hardware) : [];
    for (const metric of new Set(twins.map((t) => t.entry.metric))) {
      verdicts.push({ caseId: c.id, metric, verdict: 'invalid', simulated: true, test: 'none', reason: `simulated result: never compared with the ${hardware} hardware baseline`, baselineFile: twins[0]!.loaded.file });
    }
    if (twins.length) continue;
    if (c.fakeSdk && candidates.length) {
      for (const metric of [...new Set(candidates.map((l) => l.entry.metric))].sort()) {
        const l = candidates.find((x) => x.entry.metric === metric)!;
        used.add(l);
        verdicts.push({ caseId: c.id, metric, verdict: 'invalid', simulated: c.simulated, fakeSdk: true, test: 'none', reason: `${FAKE_SDK_NOTE}`, baselineFile: l.loaded.file });
      }
      continue;
    }
    if (!candidates.length) {
      verdicts.push({ caseId: c.id, metric: 'case', verdict: 'missing', simulated: c.simulated, ...(c.fakeSdk ? { fakeSdk: true } : {}), test: 'none', reason: 'no baseline entry for this case' });
      continue;
    }
    const mine: MetricVerdict[] = [];
    for (const metric of [...new Set(candidates.map((l) => l.entry.metric))].sort()) {
      const { chosen, ofMetric } = chooseEntry(candidates, metric, mc);
      ofMetric.forEach((l) => used.add(l));
      if (!chosen) {
        const classes = [...new Set(ofMetric.map((l) => l.entry.machineClass))].join(', ');
        mine.push({ caseId: c.id, metric, verdict: 'missing', simulated: c.simulated, test: 'none', reason: `the baseline is for machine class ${classes}; this run is ${mc}` });
        continue;
      }
      const threshold = options.thresholds?.[metric] ?? chosen.entry.tolerance ?? thresholds[metric];
      const head = { caseId: c.id, metric, simulated: c.simulated, baselineFile: chosen.loaded.file, source: describeSource(chosen.loaded.baseline, chosen.entry) };
      if (c.status !== 'ok') {
        mine.push({ ...head, verdict: 'missing', test: 'none', baseline: chosen.entry.value, reason: `case ${c.status}${c.error ? `: ${c.error.message}` : ''}` });
      } else if (METRICS[metric].kind === 'performance') {
        mine.push({ ...head, ...judgePerformance(metric, chosen.entry, c, threshold, alpha, samples) });
      } else {
        mine.push({ ...head, ...judgeAccuracy(metric, chosen.entry, c, threshold, alpha, perImage) });
      }
      if (!usedFiles.has(chosen.loaded)) usedFiles.set(chosen.loaded, new Set());
      if (chosen.entry.runId) usedFiles.get(chosen.loaded)!.add(chosen.entry.runId);
    }
    verdicts.push(...(c.simulated ? judgeDeviceFirst(mine) : mine));
  }
  verdicts.push(...goneFromRun(all, used, results.suite.name));

  const counts = Object.fromEntries(VERDICTS.map((v) => [v, verdicts.filter((x) => x.verdict === v).length])) as Record<Verdict, number>;
  return {
    baselines: baselines.map((l) => ({ file: l.file, name: l.baseline.name, source: describeSource(l.baseline) })),
    alpha,
    thresholds,
    failOn,
    verdicts,
    counts,
    envDiff: environmentDiffs(usedFiles, results.env, new Set(results.cases.map((c) => c.key.target))),
    exitCode: verdicts.some((v) => failOn.includes(v.verdict)) ? 1 : 0,
  };
}

/** A case the baseline measured from this very suite that the run no longer has is worth a line. */
function goneFromRun(all: readonly Located[], used: ReadonlySet<Located>, suite: string): MetricVerdict[] {
  const out: MetricVerdict[] = [];
  for (const l of all) {
    if (used.has(l) || l.loaded.baseline.provenance.type !== 'measured') continue;
    if (!l.loaded.baseline.provenance.runs.some((r) => r.suite === suite)) continue;
    out.push({
      caseId: caseId(l.entry.key),
      metric: l.entry.metric,
      verdict: 'missing',
      simulated: l.loaded.baseline.simulated,
      test: 'none',
      baseline: l.entry.value,
      reason: `in the baseline (${l.entry.machineClass}) but not in this run`,
      baselineFile: l.loaded.file,
      source: describeSource(l.loaded.baseline, l.entry),
    });
  }
  return out;
}
