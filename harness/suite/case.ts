/**
 * A case as resolved from the suite (LoadGen's split: what the user asked for stays in the suite;
 * this is what one cell of its matrix runs with).
 */
import type { CaseKey, PeerTool } from '../core/index.js';
import { SYNTHETIC_SUFFIX } from '../models/registry.js';
import type { TargetInfo } from '../targets/catalog.js';
import type { MeasurePolicyValue, ModelRefValue, NativeOptionsValue, OrtOptionsValue } from './schema.js';

export interface ModelChoice {
  /** Registry id, `id@synthetic`, or a path as written in the suite. */
  ref: string;
  /** Name in case keys and reports. */
  name: string;
  weights: 'auto' | 'real' | 'synthetic';
  /** Where the suite names it (models[0], include[2].model), for messages. */
  field?: string;
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
  /** Vendor tools to run on the case's artifact after measuring (only those serving its backend). */
  peers: PeerTool[];
}

export function modelChoice(ref: ModelRefValue, field?: string): ModelChoice {
  if (typeof ref === 'string') return { ref, name: ref, weights: 'auto', ...(field ? { field } : {}) };
  return { ref: ref.id, name: ref.name ?? ref.id, weights: ref.weights, ...(field ? { field } : {}) };
}

export function isExplicitlySynthetic(m: ModelChoice): boolean {
  return m.ref.endsWith(SYNTHETIC_SUFFIX) || m.weights === 'synthetic';
}
