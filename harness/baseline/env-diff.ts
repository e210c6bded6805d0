/** The environment diff: which versions changed between a baseline's run (or document) and this run. */
import type { EnvChange, EnvDiff, EnvFingerprint } from '../core/index.js';
import { describeSource } from './match.js';
import type { LoadedBaseline } from './schema.js';

/** Versions and identity fields, flattened: what the environment diff compares. */
export function flattenEnv(env: Record<string, unknown>, targets?: Set<string>): Record<string, string> {
  const out: Record<string, string> = {};
  const get = (obj: unknown, path: string[]): unknown => path.reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), obj);
  const put = (field: string, v: unknown) => {
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out[field] = String(v);
  };
  put('node', env.node);
  put('os.release', get(env, ['os', 'release']));
  put('os.distro', get(env, ['os', 'distro']));
  put('cpu.model', get(env, ['cpu', 'model']));
  put('infergate.version', get(env, ['infergate', 'version']));
  put('infergate.commit', get(env, ['infergate', 'commit']));
  for (const [k, v] of Object.entries((env.runtimes as Record<string, unknown>) ?? {})) put(`runtimes.${k}`, v);
  for (const [t, versions] of Object.entries((env.targets as Record<string, Record<string, unknown>>) ?? {})) {
    if (targets && !targets.has(t)) continue;
    for (const [k, v] of Object.entries(versions ?? {})) put(`targets.${t}.${k}`, v);
  }
  return out;
}

function diffEnv(before: Record<string, string>, now: Record<string, string>, onlyKnown: boolean): EnvChange[] {
  const fields = new Set([...Object.keys(before), ...(onlyKnown ? [] : Object.keys(now))]);
  const changes: EnvChange[] = [];
  for (const f of [...fields].sort()) if (before[f] !== now[f]) changes.push({ field: f, baseline: before[f], current: now[f] });
  return changes;
}

/**
 * One diff per baseline file used: against each measured run whose entries were used (or the
 * file's latest run), or against the versions a published document states.
 */
export function environmentDiffs(used: ReadonlyMap<LoadedBaseline, ReadonlySet<string>>, env: EnvFingerprint, targets: ReadonlySet<string>): EnvDiff[] {
  const now = flattenEnv(env as unknown as Record<string, unknown>, new Set(targets));
  const envDiff: EnvDiff[] = [];
  for (const [loaded, runIds] of used) {
    const p = loaded.baseline.provenance;
    if (p.type === 'published') {
      const changes = diffEnv(p.versions, now, true);
      envDiff.push({
        baselineFile: loaded.file,
        source: describeSource(loaded.baseline),
        changes,
        note: Object.keys(p.versions).length ? 'the document states only these versions' : 'the document states no software versions, so nothing can be diffed',
      });
      continue;
    }
    const runs = p.runs.filter((r) => runIds.has(r.runId));
    for (const run of runs.length ? runs : p.runs.slice(-1)) {
      envDiff.push({ baselineFile: loaded.file, source: `measured: run ${run.runId}`, changes: diffEnv(flattenEnv(run.env, new Set(targets)), now, false) });
    }
  }
  return envDiff;
}
