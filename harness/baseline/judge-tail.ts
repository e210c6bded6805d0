/**
 * Judging a tail metric (p99 latency, p99 device time): beyond the practical threshold AND an
 * exact binomial test. At most 1% of the baseline's calls lie above its p99; when the share of
 * this run's calls above that figure is more than chance allows against 1%, the tail moved (and
 * the same at p99.9 against 0.1% when there are enough calls to expect a few beyond it).
 */
import { resolve } from 'node:path';
import { METRICS, type CaseResult, type Judgement, type LoadedResults, type MetricId } from '../core/index.js';
import { pooledSeries, readSamplesFile } from '../measure/samples-file.js';
import { binomialTail } from '../significance/index.js';
import type { BaselineEntryValue } from './schema.js';
import { beyondText, count, plainPct, pText, signedPct } from './wording.js';

/** A case's per-call series from its run folder (samples/case-NNN.json), for the tail tests. */
export type SamplesReader = (c: CaseResult, series: 'latency' | 'device') => number[] | undefined;

export function runDirSamples(loaded: Pick<LoadedResults, 'dir'>): SamplesReader {
  const cache = new Map<string, ReturnType<typeof readSamplesFile>>();
  return (c, series) => {
    if (!c.samplesFile) return undefined;
    if (!cache.has(c.samplesFile)) cache.set(c.samplesFile, readSamplesFile(resolve(loaded.dir, c.samplesFile)));
    const file = cache.get(c.samplesFile);
    return file ? pooledSeries(file, series) : undefined;
  };
}

/** Expect at least this many calls beyond p99.9 before testing it. */
const P999_MIN_EXPECTED = 5;

interface TailTest {
  label: string;
  share: number;
  limit: number;
  beyond: number;
  n: number;
  change: number;
  pUpper: number;
  pLower: number;
}

function tailTest(label: string, share: number, limit: number, current: number, calls: readonly number[]): TailTest {
  let beyond = 0;
  for (const x of calls) if (x > limit) beyond++;
  return { label, share, limit, beyond, n: calls.length, change: current / limit - 1, pUpper: binomialTail(beyond, calls.length, share, 'upper'), pLower: binomialTail(beyond, calls.length, share, 'lower') };
}

function describe(t: TailTest, unit: string): string {
  return `${count(t.beyond)} of ${count(t.n)} calls (${((t.beyond / t.n) * 100).toFixed(2)}%) are slower than the baseline's ${t.label} of ${t.limit.toFixed(3)} ${unit}, where ${plainPct(t.share)} (${count(t.share * t.n)}) is expected: exact binomial ${pText(Math.min(t.pUpper, t.pLower))}`;
}

export function judgeTail(metric: MetricId, entry: BaselineEntryValue, c: CaseResult, current: number, threshold: number, alpha: number, samples: SamplesReader): Judgement {
  const info = METRICS[metric];
  const change = current / entry.value - 1;
  const spread = entry.spread ?? 0;
  const beyond = (x: number) => Math.abs(x) > threshold && Math.abs(x) > spread;
  const base = { baseline: entry.value, current, threshold, change };
  const calls = entry.runId !== undefined ? samples(c, info.tail!.samples) : undefined;
  if (!calls?.length) {
    const why = entry.runId === undefined ? 'the baseline has no samples' : 'the run folder has no per-call samples for this case';
    const stats = `${info.label}: ${signedPct(change)} against the ${plainPct(threshold)} threshold; threshold-only (${why})`;
    return { ...base, test: 'threshold-only', verdict: beyond(change) ? (change > 0 ? 'regressed' : 'improved') : 'pass', reason: stats };
  }
  const tests = [tailTest('p99', 0.01, entry.value, current, calls)];
  const stats = info.tail!.samples === 'device' ? c.latency?.device : c.latency?.pooled;
  if (entry.p999 !== undefined && stats && calls.length * 0.001 >= P999_MIN_EXPECTED) tests.push(tailTest('p99.9', 0.001, entry.p999, stats.p999, calls));
  const slower = tests.find((t) => t.change > 0 && beyond(t.change) && t.pUpper < alpha);
  const faster = tests[0]!.change < 0 && beyond(tests[0]!.change) && tests[0]!.pLower < alpha ? tests[0] : undefined;
  const words = (t: TailTest) => `${info.label}: ${describe(t, info.unit)}`;
  if (slower) return { ...base, p: slower.pUpper, test: 'binomial', verdict: 'regressed', reason: `${words(slower)}; ${slower.label} ${beyondText(slower.change, threshold, spread)}` };
  if (faster) return { ...base, p: faster.pLower, test: 'binomial', verdict: 'improved', reason: `${words(faster)}; ${beyondText(faster.change, threshold, spread)}` };
  const loose = tests.find((t) => beyond(t.change));
  const p = loose ? (loose.change > 0 ? loose.pUpper : loose.pLower) : Math.min(tests[0]!.pUpper, tests[0]!.pLower);
  if (loose) return { ...base, p, test: 'binomial', verdict: 'inconclusive', reason: `${words(loose)}; ${loose.label} ${beyondText(loose.change, threshold, spread)}, but the share beyond it is within chance (alpha ${alpha}): not significant` };
  return { ...base, p, test: 'binomial', verdict: 'pass', reason: `${words(tests[0]!)}; ${signedPct(change)} within the ${plainPct(threshold)} threshold` };
}
