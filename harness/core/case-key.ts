/** A case's identity: the one key type, its one id formatter and its one partial-key matcher. */
import type { Precision } from './precision.js';

export interface CaseKey {
  model: string;
  target: string;
  precision: Precision;
  batch: number;
  threads: number;
}

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
