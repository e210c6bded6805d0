/**
 * A case as resolved from the suite (LoadGen's split: what the user asked for stays in the suite;
 * this is what one cell of its matrix runs with).
 */
import type { CaseKey } from '../core/index.js';
import { SYNTHETIC_SUFFIX } from '../models/registry.js';
import type { TargetInfo } from '../targets/catalog.js';
import type { MeasurePolicyValue, ModelRefValue, NativeOptionsValue, OrtOptionsValue } from './schema.js';

export interface ModelChoice {
  /** Registry id, `id@synthetic`, or a path as written in the suite. */
  ref: string;
  /** Name in case keys and reports. */
  name: string;
  weights: 'auto' | 'real' | 'synthetic';
}

export interface Case {
  key: CaseKey;
  /** Stable, filesystem-safe id (core caseId). */
  id: string;
  model: ModelChoice;
  target: TargetInfo;
  measure: MeasurePolicyValue;
  ort: OrtOptionsValue;
  native: NativeOptionsValue;
}

export function modelChoice(ref: ModelRefValue): ModelChoice {
  if (typeof ref === 'string') return { ref, name: ref, weights: 'auto' };
  return { ref: ref.id, name: ref.name ?? ref.id, weights: ref.weights };
}

export function isExplicitlySynthetic(m: ModelChoice): boolean {
  return m.ref.endsWith(SYNTHETIC_SUFFIX) || m.weights === 'synthetic';
}
