/**
 * Results against baselines: a verdict per case and metric, the environment diff, and the exit
 * code. A regression needs both a practical change beyond the threshold and statistical
 * significance where both sides have samples; against a published figure (no samples) the
 * verdict is threshold-only and says so.
 */
import { join } from 'node:path';
import { bitsFromBase64, discordantPairs, type PerImageOutcomes } from '../accuracy/per-image.js';
import { caseMachineClass } from '../env/fingerprint.js';
import { invalidReasons } from '../measure/validity.js';
import { mannWhitneyU, mcnemarExact, wilsonInterval } from '../measure/stats.js';
import type { CaseResult, LoadedResults, RunResults } from '../report/results.js';
import { caseId, type CaseKey } from '../suite/expand.js';
import { METRICS, metricBlocks, metricValue, VERDICTS, type MetricId, type Verdict } from './metrics.js';
import type { BaselineEntryValue, BaselineFile, BaselineKeyValue, LoadedBaseline } from './schema.js';

export { VERDICTS, type Verdict } from './metrics.js';

export type TestUsed = 'mann-whitney' | 'mcnemar' | 'wilson' | 'threshold-only' | 'none';

export interface MetricVerdict {
  caseId: string;
  /** 'case' when the verdict is about the case as a whole (no baseline, or not in this run). */
  metric: MetricId | 'case';
  verdict: Verdict;
  simulated: boolean;
  baseline?: number;
  current?: number;
  /** Performance: relative change (current / baseline - 1). Accuracy: absolute (current - baseline). */
  change?: number;
  threshold?: number;
  test: TestUsed;
  p?: number;
  reason: string;
  baselineFile?: string;
  /** Where the baseline figure came from, in a few words. */
  source?: string;
}

export interface EnvChange {
  field: string;
  baseline?: string;
  current?: string;
}

export interface EnvDiff {
  baselineFile: string;
  source: string;
  changes: EnvChange[];
  note?: string;
}

export interface GateReport {
  baselines: { file: string; name: string; source: string }[];
  alpha: number;
  thresholds: Record<MetricId, number>;
  failOn: Verdict[];
  verdicts: MetricVerdict[];
  counts: Record<Verdict, number>;
  envDiff: EnvDiff[];
  /** 1 when any verdict is in failOn, else 0. */
  exitCode: 0 | 1;
}

export interface GateOptions {
  /** Significance level of the tests; 0.01 keeps A/A false alarms rare (see bench:gate). */
  alpha?: number;
  /** Per-metric practical thresholds, overriding the baseline entries' own tolerances. */
  thresholds?: Partial<Record<MetricId, number>>;
  /** Verdicts that fail the gate (exit 1); default: regressed only. */
  failOn?: Verdict[];
}

export const DEFAULT_ALPHA = 0.01;

export function keyMatches(entry: BaselineKeyValue, key: CaseKey, target = key.target): boolean {
  return (
    entry.model === key.model &&
    entry.target === target &&
    entry.precision === key.precision &&
    (entry.batch === undefined || entry.batch === key.batch) &&
    (entry.threads === undefined || entry.threads === key.threads)
  );
}

export function entryCaseId(key: BaselineKeyValue): string {
  if (key.batch !== undefined && key.threads !== undefined) return caseId(key as CaseKey);
  return `${key.model}/${key.target}/${key.precision}${key.batch !== undefined ? `/b${key.batch}` : ''}${key.threads !== undefined ? `/t${key.threads}` : ''}`;
}

export function describeSource(b: BaselineFile, entry?: BaselineEntryValue): string {
  if (b.provenance.type === 'published') {
    return `published: ${b.provenance.document}, ${b.provenance.table}${entry?.row ? `, row "${entry.row}"` : ''}`;
  }
  const run = entry?.runId ?? b.provenance.runs[b.provenance.runs.length - 1]!.runId;
  const date = b.provenance.runs.find((r) => r.runId === run)?.date;
  return `measured: run ${run}${date ? ` (${date.slice(0, 10)})` : ''}`;
}

/**
 * Performance baselines hold for one machine class. Accuracy does not depend on the host, so an
 * accuracy entry holds for every machine of its target (the part before '@').
 */
export function sameMachine(entry: BaselineEntryValue, machineClass: string): boolean {
  if (METRICS[entry.metric].kind === 'performance') return entry.machineClass === machineClass;
  return entry.machineClass.split('@')[0] === machineClass.split('@')[0];
}

interface Located {
  entry: BaselineEntryValue;
  loaded: LoadedBaseline;
}

/** Per-image outcomes of a case's accuracy, read from its predictions file (paired tests). */
export type PerImageReader = (c: CaseResult) => PerImageOutcomes | undefined;

export function runDirPerImage(loaded: Pick<LoadedResults, 'dir'>, read: (file: string) => PerImageOutcomes): PerImageReader {
  const cache = new Map<string, PerImageOutcomes | undefined>();
  return (c) => {
    const rel = c.accuracy?.predictionsFile;
    if (!rel) return undefined;
    if (!cache.has(rel)) {
      try {
        cache.set(rel, read(join(loaded.dir, rel)));
      } catch {
        cache.set(rel, undefined); // no paired test; the Wilson comparison still runs
      }
    }
    return cache.get(rel);
  };
}

function judgePerformance(metric: MetricId, entry: BaselineEntryValue, c: CaseResult, threshold: number, alpha: number): Omit<MetricVerdict, 'caseId' | 'metric' | 'simulated'> {
  const info = METRICS[metric];
  const current = metricValue(c, metric);
  const base = { baseline: entry.value, current, threshold };
  if (c.validity && !c.validity.valid) {
    return { ...base, verdict: 'invalid', test: 'none', reason: `measurement invalid (${invalidReasons(c.validity)}): not compared` };
  }
  if (current === undefined || !Number.isFinite(current)) return { ...base, verdict: 'missing', test: 'none', reason: `the case has no ${info.label}` };
  const change = current / entry.value - 1;
  const worse = info.direction === 'higher' ? -change : change;
  const beyond = Math.abs(worse) > threshold;
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const blocksNow = metricBlocks(c, metric);
  if (entry.blocks && entry.blocks.length >= 3 && blocksNow && blocksNow.length >= 3) {
    const { p } = mannWhitneyU(entry.blocks, blocksNow);
    const significant = p < alpha;
    const stats = `${pct(change)} vs threshold ${pct(threshold)}; Mann-Whitney p=${p.toPrecision(2)} (alpha ${alpha})`;
    if (beyond && significant) return { ...base, change, p, test: 'mann-whitney', verdict: worse > 0 ? 'regressed' : 'improved', reason: stats };
    if (beyond) return { ...base, change, p, test: 'mann-whitney', verdict: 'inconclusive', reason: `${stats}: beyond the threshold but not significant` };
    return { ...base, change, p, test: 'mann-whitney', verdict: 'pass', reason: `${stats}${significant ? ': significant but within the threshold' : ''}` };
  }
  const why = entry.blocks ? 'the run has too few blocks for a test' : 'the baseline has no samples';
  const stats = `${pct(change)} vs threshold ${pct(threshold)}; threshold-only (${why})`;
  if (beyond) return { ...base, change, test: 'threshold-only', verdict: worse > 0 ? 'regressed' : 'improved', reason: stats };
  return { ...base, change, test: 'threshold-only', verdict: 'pass', reason: stats };
}

function judgeAccuracy(
  metric: MetricId,
  entry: BaselineEntryValue,
  c: CaseResult,
  threshold: number,
  alpha: number,
  perImage: PerImageReader,
): Omit<MetricVerdict, 'caseId' | 'metric' | 'simulated'> {
  const base = { baseline: entry.value, threshold };
  if (c.weights === 'synthetic') return { ...base, verdict: 'invalid', test: 'none', reason: 'synthetic weights: accuracy is never scored, so there is no accuracy verdict' };
  if (c.weights === 'none') return { ...base, verdict: 'invalid', test: 'none', reason: 'simulated device: no model runs, so there is no accuracy' };
  const current = metricValue(c, metric);
  if (current === undefined) {
    const why = c.accuracy ? `accuracy ${c.accuracy.status}${c.accuracy.reason ? `: ${c.accuracy.reason}` : ''}` : 'the suite scored no accuracy for this case';
    return { ...base, verdict: 'missing', test: 'none', reason: why };
  }
  const change = current - entry.value;
  const worse = -change;
  const beyond = Math.abs(change) > threshold;
  const pts = (x: number) => `${(x * 100).toFixed(2)} points`;
  const outcome = (test: TestUsed, significant: boolean, p: number | undefined, stats: string): Omit<MetricVerdict, 'caseId' | 'metric' | 'simulated'> => {
    const common = { ...base, current, change, test, ...(p !== undefined ? { p } : {}) };
    if (beyond && significant) return { ...common, verdict: worse > 0 ? 'regressed' : 'improved', reason: stats };
    if (beyond && test !== 'threshold-only') return { ...common, verdict: 'inconclusive', reason: `${stats}: beyond the threshold but not significant` };
    if (beyond) return { ...common, verdict: worse > 0 ? 'regressed' : 'improved', reason: stats };
    return { ...common, verdict: 'pass', reason: stats };
  };
  const mine = perImage(c);
  const field = metric === 'top1' ? 'top1' : 'top5';
  if (entry.perImage && mine && mine.imagesSha256 === entry.perImage.imagesSha256 && mine.n === entry.perImage.n) {
    const { b, c: gained } = discordantPairs(bitsFromBase64(entry.perImage.bits), mine[field], mine.n);
    const p = mcnemarExact(b, gained);
    return outcome('mcnemar', p < alpha, p, `${pts(change)} vs threshold ${pts(threshold)}; exact McNemar on ${mine.n} paired images (${b} lost, ${gained} gained) p=${p.toPrecision(2)}`);
  }
  const acc = c.accuracy![field]!;
  if (entry.n !== undefined && c.accuracy?.n) {
    const before = wilsonInterval(Math.round(entry.value * entry.n), entry.n);
    const now = acc.ci95;
    const separate = now[1] < before[0] || now[0] > before[1];
    const paired = entry.perImage && mine ? '; images differ, so no paired test' : '';
    return outcome('wilson', separate, undefined, `${pts(change)} vs threshold ${pts(threshold)}; Wilson 95% intervals ${separate ? 'do not overlap' : 'overlap'} (n ${entry.n} vs ${c.accuracy.n})${paired}`);
  }
  return outcome('threshold-only', true, undefined, `${pts(change)} vs threshold ${pts(threshold)}; threshold-only (the baseline gives no image count)`);
}

/** Versions and identity fields, flattened: what the environment diff compares. */
export function flattenEnv(env: Record<string, unknown>, targets?: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  const get = (obj: unknown, path: string[]): unknown => path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
  const put = (field: string, v: unknown) => {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[field] = String(v);
  };
  put('node', env.node);
  put('os.release', get(env, ['os', 'release']));
  put('os.distro', get(env, ['os', 'distro']));
  put('cpu.model', get(env, ['cpu', 'model']));
  put('infergate.version', get(env, ['infergate', 'version']));
  put('infergate.commit', get(env, ['infergate', 'commit']));
  for (const [k, v] of Object.entries((env.runtimes as Record<string, unknown>) ?? {})) put(`runtimes.${k}`, v);
  for (const [t, versions] of Object.entries((env.targets as Record<string, Record<string, unknown>>) ?? {})) {
    if (targets && !targets.has(t)) continue;
    for (const [k, v] of Object.entries(versions ?? {})) put(`targets.${t}.${k}`, v);
  }
  return out;
}

function diffEnv(before: Record<string, string>, now: Record<string, string>, onlyKnown: boolean): EnvChange[] {
  const fields = new Set([...Object.keys(before), ...(onlyKnown ? [] : Object.keys(now))]);
  const changes: EnvChange[] = [];
  for (const f of [...fields].sort()) if (before[f] !== now[f]) changes.push({ field: f, baseline: before[f], current: now[f] });
  return changes;
}

export function compareResults(results: RunResults, baselines: readonly LoadedBaseline[], perImage: PerImageReader = () => undefined, options: GateOptions = {}): GateReport {
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const failOn = options.failOn ?? ['regressed'];
  const thresholds = Object.fromEntries(Object.values(METRICS).map((m) => [m.id, options.thresholds?.[m.id] ?? m.threshold])) as Record<MetricId, number>;
  const all: Located[] = baselines.flatMap((loaded) => loaded.baseline.entries.map((entry) => ({ entry, loaded })));
  const verdicts: MetricVerdict[] = [];
  const used = new Set<Located>();
  const usedFiles = new Map<LoadedBaseline, Set<string>>();

  for (const c of results.cases) {
    const mc = caseMachineClass(c.target, results.env);
    const candidates = all.filter((l) => keyMatches(l.entry.key, c.key));
    if (!candidates.length && c.simulated) {
      const hardware = c.key.target.replace(/^sim-/, '');
      const twins = all.filter((l) => keyMatches(l.entry.key, c.key, hardware));
      for (const metric of new Set(twins.map((t) => t.entry.metric))) {
        verdicts.push({ caseId: c.id, metric, verdict: 'invalid', simulated: true, test: 'none', reason: `simulated result: never compared with the ${hardware} hardware baseline`, baselineFile: twins[0]!.loaded.file });
      }
      if (twins.length) continue;
    }
    if (!candidates.length) {
      verdicts.push({ caseId: c.id, metric: 'case', verdict: 'missing', simulated: c.simulated, test: 'none', reason: 'no baseline entry for this case' });
      continue;
    }
    for (const metric of [...new Set(candidates.map((l) => l.entry.metric))].sort()) {
      const ofMetric = candidates.filter((l) => l.entry.metric === metric);
      const mine = ofMetric.filter((l) => sameMachine(l.entry, mc));
      ofMetric.forEach((l) => used.add(l));
      if (!mine.length) {
        const classes = [...new Set(ofMetric.map((l) => l.entry.machineClass))].join(', ');
        verdicts.push({ caseId: c.id, metric, verdict: 'missing', simulated: c.simulated, test: 'none', reason: `the baseline is for machine class ${classes}; this run is ${mc}` });
        continue;
      }
      // Several files may hold the same key: a measured baseline outranks a published one.
      const chosen = mine.find((l) => l.loaded.baseline.provenance.type === 'measured') ?? mine[0]!;
      const threshold = options.thresholds?.[metric] ?? chosen.entry.tolerance ?? thresholds[metric];
      const head = { caseId: c.id, metric, simulated: c.simulated, baselineFile: chosen.loaded.file, source: describeSource(chosen.loaded.baseline, chosen.entry) };
      if (c.status !== 'ok') {
        verdicts.push({ ...head, verdict: 'missing', test: 'none', baseline: chosen.entry.value, reason: `case ${c.status}${c.error ? `: ${c.error.message}` : ''}` });
      } else if (METRICS[metric].kind === 'performance') {
        verdicts.push({ ...head, ...judgePerformance(metric, chosen.entry, c, threshold, alpha) });
      } else {
        verdicts.push({ ...head, ...judgeAccuracy(metric, chosen.entry, c, threshold, alpha, perImage) });
      }
      if (!usedFiles.has(chosen.loaded)) usedFiles.set(chosen.loaded, new Set());
      if (chosen.entry.runId) usedFiles.get(chosen.loaded)!.add(chosen.entry.runId);
    }
  }

  // A case the baseline measured from this very suite that the run no longer has is worth a line.
  for (const l of all) {
    if (used.has(l) || l.loaded.baseline.provenance.type !== 'measured') continue;
    if (!l.loaded.baseline.provenance.runs.some((r) => r.suite === results.suite.name)) continue;
    verdicts.push({
      caseId: entryCaseId(l.entry.key),
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

  const targets = new Set(results.cases.map((c) => c.key.target));
  const now = flattenEnv(results.env as unknown as Record<string, unknown>, targets);
  const envDiff: EnvDiff[] = [];
  for (const [loaded, runIds] of usedFiles) {
    const p = loaded.baseline.provenance;
    if (p.type === 'published') {
      const changes = diffEnv(p.versions, now, true);
      envDiff.push({
        baselineFile: loaded.file,
        source: describeSource(loaded.baseline),
        changes,
        note: Object.keys(p.versions).length ? 'the document states only these versions' : 'the document states no software versions, so nothing can be diffed',
      });
      continue;
    }
    const runs = p.runs.filter((r) => runIds.has(r.runId));
    for (const run of runs.length ? runs : p.runs.slice(-1)) {
      envDiff.push({ baselineFile: loaded.file, source: `measured: run ${run.runId}`, changes: diffEnv(flattenEnv(run.env, targets), now, false) });
    }
  }

  const counts = Object.fromEntries(VERDICTS.map((v) => [v, verdicts.filter((x) => x.verdict === v).length])) as Record<Verdict, number>;
  return {
    baselines: baselines.map((l) => ({ file: l.file, name: l.baseline.name, source: describeSource(l.baseline) })),
    alpha,
    thresholds,
    failOn,
    verdicts,
    counts,
    envDiff,
    exitCode: verdicts.some((v) => failOn.includes(v.verdict)) ? 1 : 0,
  };
}

/** The verdict that sums up a case: the worst of its metrics. */
export function caseVerdict(report: GateReport, id: string): Verdict | undefined {
  const order: Verdict[] = ['regressed', 'invalid', 'inconclusive', 'missing', 'improved', 'pass'];
  const mine = report.verdicts.filter((v) => v.caseId === id).map((v) => v.verdict);
  return order.find((v) => mine.includes(v));
}
