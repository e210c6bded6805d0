/** A case's identity: the one key type, its one id formatter and its one partial-key matcher. */
import { z } from 'zod';
import { PRECISIONS } from './precision.js';

export const CaseKeySchema = z.object({
  model: z.string(),
  target: z.string(),
  precision: z.enum(PRECISIONS),
  batch: z.number().int().min(1),
  threads: z.number().int().min(1),
});
export type CaseKey = z.output<typeof CaseKeySchema>;

/** A key with some fields left open: a suite's exclude entry, a baseline entry that holds for every batch. */
export type PartialCaseKey = Partial<CaseKey>;

/** Stable, filesystem-safe id: model/target/precision/b<batch>/t<threads>; open fields are left out. */
export function caseId(key: PartialCaseKey): string {
  const parts = [key.model, key.target, key.precision].filter((p) => p !== undefined);
  if (key.batch !== undefined) parts.push(`b${key.batch}`);
  if (key.threads !== undefined) parts.push(`t${key.threads}`);
  return parts.join('/');
}

/** True when every field the partial key gives equals the case's. */
export function keyMatches(partial: PartialCaseKey, key: CaseKey): boolean {
  return (
    (partial.model === undefined || partial.model === key.model) &&
    (partial.target === undefined || partial.target === key.target) &&
    (partial.precision === undefined || partial.precision === key.precision) &&
    (partial.batch === undefined || partial.batch === key.batch) &&
    (partial.threads === undefined || partial.threads === key.threads)
  );
}
