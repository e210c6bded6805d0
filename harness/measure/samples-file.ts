/**
 * The run folder's samples/case-NNN.json: every measured call's latency (and device time, where
 * the backend reports it) per thread in call order. The gate reads it back for the tail tests
 * (calls beyond the baseline's p99), and `baseline update` for the p99 of pooled runs.
 */
import { z } from 'zod';
import { writeAtomic } from '../util/files.js';
import { readJsonIfValid } from '../util/json-file.js';

const Series = z.array(z.array(z.number()));

export const SamplesFileSchema = z.looseObject({
  id: z.string(),
  unit: z.literal('ms'),
  order: z.string(),
  /** Host latency of each call, per thread. */
  threads: Series,
  /** Device time of each call, per thread (absent when the backend reports none). */
  device: Series.optional(),
});

export type SamplesFile = z.output<typeof SamplesFileSchema>;

export function writeSamplesFile(file: string, id: string, threads: readonly ArrayLike<number>[], device?: readonly ArrayLike<number>[]): void {
  const body: SamplesFile = { id, unit: 'ms', order: 'call order per thread', threads: threads.map((t) => Array.from(t)), ...(device ? { device: device.map((t) => Array.from(t)) } : {}) };
  writeAtomic(file, JSON.stringify(body));
}

/** The samples of a run's case, or undefined when the file is absent or unreadable (the tests then fall back to thresholds). */
export function readSamplesFile(file: string): SamplesFile | undefined {
  return readJsonIfValid(file, SamplesFileSchema);
}

/** One series of a samples file, every thread's calls together. */
export function pooledSeries(s: SamplesFile, series: 'latency' | 'device'): number[] | undefined {
  const per = series === 'latency' ? s.threads : s.device;
  return per?.flat();
}
