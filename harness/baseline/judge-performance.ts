/**
 * Judging one performance metric of one case against its baseline entry: a regression needs a
 * change beyond the practical threshold AND significance where both sides have blocks; against a
 * figure without samples (a published table) the verdict is threshold-only and says so.
 */
import { invalidReasons, METRICS, metricBlocks, metricValue, type CaseResult, type Judgement, type MetricId } from '../core/index.js';
import { mannWhitneyU, ratioChangeInterval } from '../significance/index.js';
import type { BaselineEntryValue } from './schema.js';

export function judgePerformance(metric: MetricId, entry: BaselineEntryValue, c: CaseResult, threshold: number, alpha: number): Judgement {
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
    const ci = ratioChangeInterval(entry.blocks, blocksNow);
    const significant = p < alpha;
    const stats = `${pct(change)} vs threshold ${pct(threshold)}; Mann-Whitney p=${p.toPrecision(2)} (alpha ${alpha})`;
    const tested = { ...base, change, ...(ci ? { changeCi: ci } : {}), p, test: 'mann-whitney' as const };
    if (beyond && significant) return { ...tested, verdict: worse > 0 ? 'regressed' : 'improved', reason: stats };
    if (beyond) return { ...tested, verdict: 'inconclusive', reason: `${stats}: beyond the threshold but not significant` };
    return { ...tested, verdict: 'pass', reason: `${stats}${significant ? ': significant but within the threshold' : ''}` };
  }
  const why = entry.blocks ? 'the run has too few blocks for a test' : 'the baseline has no samples';
  const stats = `${pct(change)} vs threshold ${pct(threshold)}; threshold-only (${why})`;
  if (beyond) return { ...base, change, test: 'threshold-only', verdict: worse > 0 ? 'regressed' : 'improved', reason: stats };
  return { ...base, change, test: 'threshold-only', verdict: 'pass', reason: stats };
}
