/** Building a case's result: the empty result before it runs, then what running it found. */
import type { CaseResult } from '../core/index.js';
import type { ResolvedModel } from '../models/resolve.js';
import { isExplicitlySynthetic, type Case } from '../suite/case.js';
import type { CaseFindings } from './execute-case.js';

export function baseResult(c: Case, model?: ResolvedModel): CaseResult {
  const target = { id: c.target.id, backend: c.target.backend, device: c.target.device };
  if (c.target.backend === 'sim') {
    const notes = ['SIMULATED device: a service-time model from published figures; no model runs'];
    return { id: c.id, key: c.key, status: 'skipped', simulated: true, weights: 'none', model: { ref: c.model.ref }, target, notes };
  }
  return {
    id: c.id,
    key: c.key,
    status: 'skipped',
    simulated: c.target.simulated,
    weights: model?.weights ?? (isExplicitlySynthetic(c.model) ? 'synthetic' : 'real'),
    model: { ref: c.model.ref, path: model?.path, sha256: model?.sha256, description: model?.spec?.description },
    target,
    notes: [...(model?.notes ?? [])],
  };
}

export function applyFindings(r: CaseResult, f: CaseFindings): void {
  const { notes, interrupted: _interrupted, ...fields } = f;
  Object.assign(r, fields);
  r.notes.push(...notes);
}
