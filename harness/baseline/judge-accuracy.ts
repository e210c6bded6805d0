/**
 * Judging top-1/top-5 of one case against its baseline entry: an exact McNemar test on the paired
 * per-image outcomes when both sides scored the same images, else Wilson intervals, else the
 * threshold alone. Synthetic weights and simulated devices get no accuracy verdict.
 */
import { join } from 'node:path';
import { bitsFromBase64, discordantPairs, type PerImageOutcomes } from '../accuracy/per-image.js';
import { metricValue, NO_ACCURACY, type CaseResult, type Judgement, type LoadedResults, type MetricId, type TestUsed } from '../core/index.js';
import { mcnemarExact, pairedDifferenceInterval, proportionDifferenceInterval, wilsonInterval } from '../significance/index.js';
import type { BaselineEntryValue } from './schema.js';

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

export function judgeAccuracy(
  metric: MetricId,
  entry: BaselineEntryValue,
  c: CaseResult,
  threshold: number,
  alpha: number,
  perImage: PerImageReader,
): Judgement {
  const base = { baseline: entry.value, threshold };
  if (c.weights === 'synthetic') return { ...base, verdict: 'invalid', test: 'none', reason: 'synthetic weights: accuracy is never scored, so there is no accuracy verdict' };
  if (c.weights === 'none') return { ...base, verdict: 'invalid', test: 'none', reason: NO_ACCURACY.simulated };
  const current = metricValue(c, metric);
  if (current === undefined) {
    const why = c.accuracy ? `accuracy ${c.accuracy.status}${c.accuracy.reason ? `: ${c.accuracy.reason}` : ''}` : 'the suite scored no accuracy for this case';
    return { ...base, verdict: 'missing', test: 'none', reason: why };
  }
  const change = current - entry.value;
  const worse = -change;
  const beyond = Math.abs(change) > threshold;
  const pts = (x: number) => `${(x * 100).toFixed(2)} points`;
  const outcome = (test: TestUsed, significant: boolean, p: number | undefined, stats: string, changeCi?: [number, number]): Judgement => {
    const common = { ...base, current, change, test, ...(p !== undefined ? { p } : {}), ...(changeCi ? { changeCi } : {}) };
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
    return outcome('mcnemar', p < alpha, p, `${pts(change)} vs threshold ${pts(threshold)}; exact McNemar on ${mine.n} paired images (${b} lost, ${gained} gained) p=${p.toPrecision(2)}`, pairedDifferenceInterval(b, gained, mine.n));
  }
  const acc = c.accuracy![field]!;
  if (entry.n !== undefined && c.accuracy?.n) {
    const before = wilsonInterval(Math.round(entry.value * entry.n), entry.n);
    const now = acc.ci95;
    const separate = now[1] < before[0] || now[0] > before[1];
    const paired = entry.perImage && mine ? '; images differ, so no paired test' : '';
    return outcome('wilson', separate, undefined, `${pts(change)} vs threshold ${pts(threshold)}; Wilson 95% intervals ${separate ? 'do not overlap' : 'overlap'} (n ${entry.n} vs ${c.accuracy.n})${paired}`, proportionDifferenceInterval(acc.correct, c.accuracy.n, Math.round(entry.value * entry.n), entry.n));
  }
  return outcome('threshold-only', true, undefined, `${pts(change)} vs threshold ${pts(threshold)}; threshold-only (the baseline gives no image count)`);
}
