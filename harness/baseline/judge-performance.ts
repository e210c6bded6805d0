/**
 * Judging one performance metric of one case against its baseline entry: a regression needs a
 * change beyond the practical threshold (and beyond the baseline's own run-to-run spread) AND
 * significance where both sides have blocks; against a figure without samples (a published
 * table) the verdict is threshold-only and says so. Tail metrics go to judge-tail.ts.
 */
import { invalidReasons, METRICS, metricBlocks, metricValue, type CaseResult, type Judgement, type MetricId } from '../core/index.js';
import { mannWhitneyU, ratioChangeInterval } from '../significance/index.js';
import { judgeTail, type SamplesReader } from './judge-tail.js';
import type { BaselineEntryValue } from './schema.js';
import { beyondText, blocksText, plainPct, pText, signedPct } from './wording.js';

export function judgePerformance(metric: MetricId, entry: BaselineEntryValue, c: CaseResult, threshold: number, alpha: number, samples: SamplesReader = () => undefined): Judgement {
  const info = METRICS[metric];
  const current = metricValue(c, metric);
  const base = { baseline: entry.value, current, threshold };
  if (c.validity && !c.validity.valid) {
    return { ...base, verdict: 'invalid', test: 'none', reason: `measurement invalid (${invalidReasons(c.validity)}): not compared` };
  }
  if (current === undefined || !Number.isFinite(current)) return { ...base, verdict: 'missing', test: 'none', reason: `the case has no ${info.label}` };
  if (info.tail) return judgeTail(metric, entry, c, current, threshold, alpha, samples);
  const change = current / entry.value - 1;
  const worse = info.direction === 'higher' ? -change : change;
  const spread = entry.spread ?? 0;
  const beyond = Math.abs(worse) > threshold && Math.abs(change) > spread;
  const blocksNow = metricBlocks(c, metric);
  if (entry.blocks && entry.blocks.length >= 3 && blocksNow && blocksNow.length >= 3) {
    // The run-to-run spread is a margin on the change (`beyond`); the test asks only whether the
    // blocks differ at all. Moving the current blocks by the spread before testing as well, as
    // this once did, counted the spread twice: the pooled blocks already carry it, and the largest
    // of three runs' deviations is itself a noisy figure (see bench:gate).
    const { p } = mannWhitneyU(entry.blocks, blocksNow);
    const ci = ratioChangeInterval(entry.blocks, blocksNow);
    const significant = p < alpha;
    const what = blocksText(entry.blocks.length, entry.calls, blocksNow.length, c.throughput?.completed, entry.runValues?.length ?? 1);
    const pace = worse > 0 ? 'slower' : 'faster';
    const common = { ...base, change, ...(ci ? { changeCi: ci } : {}), p, test: 'mann-whitney' as const };
    if (beyond && significant) {
      return { ...common, verdict: worse > 0 ? 'regressed' : 'improved', reason: `${info.label}: ${what}; the ${pace} blocks overlap the baseline's less than chance allows (Mann-Whitney ${pText(p)}); ${beyondText(change, threshold, spread)}` };
    }
    if (beyond) {
      return { ...common, verdict: 'inconclusive', reason: `${info.label}: ${beyondText(change, threshold, spread)}, but ${what} overlap as chance allows (Mann-Whitney ${pText(p)}, alpha ${alpha}): not significant` };
    }
    const inside = Math.abs(worse) <= threshold ? `within the ${plainPct(threshold)} threshold` : `within the baseline's own ${plainPct(spread)} run-to-run spread`;
    return { ...common, verdict: 'pass', reason: `${info.label}: ${signedPct(change)} ${inside}; ${what}, Mann-Whitney ${pText(p)}${significant ? ': significant but within the threshold' : ''}` };
  }
  const why = entry.blocks ? 'the run has too few blocks for a test' : 'the baseline has no samples';
  const stats = `${info.label}: ${signedPct(change)} against the ${plainPct(threshold)} threshold; threshold-only (${why})`;
  if (beyond) return { ...base, change, test: 'threshold-only', verdict: worse > 0 ? 'regressed' : 'improved', reason: stats };
  return { ...base, change, test: 'threshold-only', verdict: 'pass', reason: stats };
}
