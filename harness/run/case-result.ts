/** Building a case's result: the empty result before it runs, then what running it found. */
import { FAKE_SDK_NOTE, type CaseResult } from '../core/index.js';
import type { ResolvedModel } from '../models/resolve.js';
import { isExplicitlySynthetic, type Case } from '../suite/case.js';
import { fakeSdkBuild } from '../targets/native.js';
import type { CaseFindings } from './execute-case.js';

export function baseResult(c: Case, model?: ResolvedModel): CaseResult {
  const target = { id: c.target.id, backend: c.target.backend, device: c.target.device };
  if (c.target.backend === 'sim') {
    const notes = ['SIMULATED device: a service-time model from published figures; no model runs'];
    return { id: c.id, key: c.key, status: 'skipped', simulated: true, weights: 'none', model: { ref: c.model.ref }, target, notes };
  }
  // A vendor backend in an addon built against our fake SDKs: say so in the result itself.
  const fake = (c.target.backend === 'magicmind' || c.target.backend === 'hbdnn') && fakeSdkBuild();
  return {
    id: c.id,
    key: c.key,
    status: 'skipped',
    simulated: c.target.simulated,
    ...(fake ? { fakeSdk: true } : {}),
    weights: model?.weights ?? (isExplicitlySynthetic(c.model) ? 'synthetic' : 'real'),
    model: { ref: c.model.ref, path: model?.path, sha256: model?.sha256, description: model?.spec?.description },
    target,
    notes: [...(fake ? [FAKE_SDK_NOTE] : []), ...(model?.notes ?? [])],
  };
}

export function applyFindings(r: CaseResult, f: CaseFindings): void {
  const { notes, interrupted: _interrupted, ...fields } = f;
  Object.assign(r, fields);
  r.notes.push(...notes);
}
