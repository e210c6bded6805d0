/**
 * Which baseline entry a case is judged against: same key, same machine class (performance holds
 * for one machine class, accuracy for every machine of the target), a measured baseline before a
 * published one; and where that figure came from, in a few words.
 */
import { keyMatches, METRICS, type CaseKey, type MetricId } from '../core/index.js';
import type { BaselineEntryValue, BaselineFile, LoadedBaseline } from './schema.js';

export interface Located {
  entry: BaselineEntryValue;
  loaded: LoadedBaseline;
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

/** Every entry whose key the case matches (as measured on `target`, default its own). */
export function entriesFor(all: readonly Located[], key: CaseKey, target = key.target): Located[] {
  return all.filter((l) => keyMatches(l.entry.key, { ...key, target }));
}

/** The entry a metric is judged against on this machine class: measured outranks published. */
export function chooseEntry(candidates: readonly Located[], metric: MetricId, machineClass: string): { chosen?: Located; ofMetric: Located[] } {
  const ofMetric = candidates.filter((l) => l.entry.metric === metric);
  const mine = ofMetric.filter((l) => sameMachine(l.entry, machineClass));
  return { chosen: mine.find((l) => l.loaded.baseline.provenance.type === 'measured') ?? mine[0], ofMetric };
}
