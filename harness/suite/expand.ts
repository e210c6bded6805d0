/**
 * Suite -> Case[]: the cross product of models x targets x precisions x batch x threads, minus
 * `exclude`, plus `include`. Problems that need the whole suite (duplicates, unsupported
 * precisions, an empty matrix) come back as located issues for the loader to report.
 */
import { canonicalPrecision, caseId, keyMatches, PEER_BACKEND, type CaseKey, type PeerTool, type Precision } from '../core/index.js';
import { SYNTHETIC_SUFFIX } from '../models/registry.js';
import { findTarget, type TargetInfo } from '../targets/catalog.js';
import { SIM_PROFILES, simProfile } from '../targets/sim-profiles.js';
import { isExplicitlySynthetic, modelChoice, type Case, type ModelChoice } from './case.js';
import type { SuiteIssue } from './load.js';
import type { CaseSelectorValue, MeasureOverrideValue, MeasurePolicyValue, Suite } from './schema.js';

function mergeMeasure(base: MeasurePolicyValue, over?: MeasureOverrideValue): MeasurePolicyValue {
  if (!over) return base;
  const merged: MeasurePolicyValue = {
    warmup: { ...base.warmup, ...stripUndefined(over.warmup ?? {}) },
    minDuration: over.minDuration ?? base.minDuration,
    minIterations: over.minIterations ?? base.minIterations,
    maxDuration: over.maxDuration ?? base.maxDuration,
    timeout: over.timeout ?? base.timeout,
    telemetry: over.telemetry ?? base.telemetry,
  };
  if (merged.maxDuration < merged.minDuration) merged.maxDuration = merged.minDuration;
  return merged;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function matches(sel: CaseSelectorValue, key: CaseKey): boolean {
  return keyMatches({ ...sel, precision: sel.precision === undefined ? undefined : canonicalPrecision(sel.precision) }, key);
}

function duplicates<T>(values: readonly T[], path: string, issues: SuiteIssue[], show = (v: T) => String(v)): void {
  const seen = new Set<string>();
  values.forEach((v, i) => {
    const s = show(v);
    if (seen.has(s)) issues.push({ path: [path, i], message: `duplicate value '${s}' (each value makes its own cases once)` });
    seen.add(s);
  });
}

/** A simulated device models one published model; anything else would be invented numbers. */
export function simModelMismatch(model: ModelChoice, target: TargetInfo, precision: Precision): string | undefined {
  if (target.backend !== 'sim') return undefined;
  const profile = simProfile(target.id, precision);
  const base = model.ref.endsWith(SYNTHETIC_SUFFIX) ? model.ref.slice(0, -SYNTHETIC_SUFFIX.length) : model.ref;
  if (!profile || base === profile.model) return undefined;
  const models = [...new Set(Object.values(SIM_PROFILES[target.id] ?? {}).map((p) => p!.model))];
  return `${target.id} simulates only ${models.join(', ')} (from published figures); '${model.ref}' has no profile there`;
}

function unsupported(precision: Precision, target: TargetInfo): string {
  return (
    `precision '${precision}' is not supported yet on target '${target.id}' (supported: ${target.precisions.join(', ')}); ` +
    `no silent fallback: remove it, or exclude the cell`
  );
}

/** The suite's vendor tools that serve this target's backend (mm_run: MagicMind, hrt_model_exec: hbDNN). */
function peersFor(peers: readonly PeerTool[], target: TargetInfo): PeerTool[] {
  return peers.filter((p) => PEER_BACKEND[p] === target.backend);
}

function peerTargets(p: PeerTool): string {
  return p === 'mm_run' ? 'mlu370-s4 and mlu370-x4' : 'rdk-x5';
}

export function expandSuite(suite: Suite): { cases: Case[]; issues: SuiteIssue[] } {
  const issues: SuiteIssue[] = [];
  duplicates(suite.peers, 'peers', issues);
  suite.peers.forEach((p, i) => {
    if (!suite.targets.some((t) => findTarget(t)?.backend === PEER_BACKEND[p]) && !suite.include.some((inc) => findTarget(inc.target)?.backend === PEER_BACKEND[p])) {
      issues.push({ path: ['peers', i], message: `${p} runs on ${peerTargets(p)} only, and this suite has no such target` });
    }
  });
  const models = suite.models.map((m, i) => modelChoice(m, `models[${i}]`));
  const precisions = suite.precisions.map(canonicalPrecision);

  duplicates(models, 'models', issues, (m) => m.name);
  duplicates(suite.targets, 'targets', issues);
  duplicates(precisions, 'precisions', issues);
  duplicates(suite.batch, 'batch', issues);
  duplicates(suite.threads, 'threads', issues);

  // hbDNN runs at most 32 tasks at once; each measuring thread keeps one in flight.
  if (suite.targets.some((t) => findTarget(t)?.backend === 'hbdnn')) {
    suite.threads.forEach((t, i) => {
      if (t > 32) issues.push({ path: ['threads', i], message: `${t} threads exceed hbDNN's limit of 32 tasks in flight (target rdk-x5)` });
    });
  }

  const cases: Case[] = [];
  const byId = new Map<string, Case>();
  const excludeHits = suite.exclude.map(() => 0);
  const reportedUnsupported = new Set<string>();

  for (const model of models) {
    for (const targetId of suite.targets) {
      const target = findTarget(targetId)!;
      for (const [pi, precision] of precisions.entries()) {
        for (const batch of suite.batch) {
          for (const threads of suite.threads) {
            const key: CaseKey = { model: model.name, target: target.id, precision, batch, threads };
            const hit = suite.exclude.findIndex((sel) => matches(sel, key));
            if (hit >= 0) {
              suite.exclude.forEach((sel, i) => {
                if (matches(sel, key)) excludeHits[i]!++;
              });
              continue;
            }
            if (!target.precisions.includes(precision)) {
              const tag = `${target.id}/${precision}`;
              if (!reportedUnsupported.has(tag)) issues.push({ path: ['precisions', pi], message: unsupported(precision, target) });
              reportedUnsupported.add(tag);
              continue;
            }
            const mismatch = simModelMismatch(model, target, precision);
            if (mismatch) {
              const tag = `${target.id}/${model.name}`;
              if (!reportedUnsupported.has(tag)) issues.push({ path: ['models', models.indexOf(model)], message: mismatch });
              reportedUnsupported.add(tag);
              continue;
            }
            const peers = peersFor(suite.peers, target);
            const c: Case = { key, id: caseId(key), model, target, measure: suite.measure, ort: suite.ort, native: suite.native, peers };
            cases.push(c);
            byId.set(c.id, c);
          }
        }
      }
    }
  }

  suite.exclude.forEach((sel, i) => {
    if (excludeHits[i] === 0) issues.push({ path: ['exclude', i], message: 'matches no case of the matrix (a typo in a name or value?)' });
  });

  suite.include.forEach((inc, i) => {
    const model = modelChoice(inc.model, `include[${i}].model`);
    const target = findTarget(inc.target)!;
    const precision = canonicalPrecision(inc.precision);
    const key: CaseKey = { model: model.name, target: target.id, precision, batch: inc.batch, threads: inc.threads };
    if (!target.precisions.includes(precision)) {
      issues.push({ path: ['include', i, 'precision'], message: unsupported(precision, target) });
      return;
    }
    const mismatch = simModelMismatch(model, target, precision);
    if (mismatch) {
      issues.push({ path: ['include', i, 'model'], message: mismatch });
      return;
    }
    const id = caseId(key);
    if (byId.has(id)) {
      issues.push({ path: ['include', i], message: `duplicate case ${id}: it is already in the matrix or included above` });
      return;
    }
    const native = inc.sim ? { ...suite.native, sim: { ...suite.native.sim, ...inc.sim } } : suite.native;
    inc.peers?.forEach((p, j) => {
      if (PEER_BACKEND[p] !== target.backend) issues.push({ path: ['include', i, 'peers', j], message: `${p} runs on ${peerTargets(p)} only, not on ${target.id}` });
    });
    const peers = peersFor(inc.peers ?? suite.peers, target);
    const c: Case = { key, id, model, target, measure: mergeMeasure(suite.measure, inc.measure), ort: suite.ort, native, peers };
    cases.push(c);
    byId.set(id, c);
  });

  checkAccuracy(suite, models, issues);

  if (cases.length === 0 && issues.length === 0) {
    issues.push({ path: suite.exclude.length ? ['exclude'] : [], message: 'the matrix is empty: every case is excluded, nothing would run' });
  }
  return { cases, issues };
}

/** Which models are scored for accuracy; synthetic weights never are. */
export function accuracyModels(suite: Suite): Set<string> {
  if (!suite.dataset) return new Set();
  const all = [...suite.models.map((m) => modelChoice(m)), ...suite.include.map((i) => modelChoice(i.model))];
  const names = suite.accuracy?.models ?? all.filter((m) => !isExplicitlySynthetic(m)).map((m) => m.name);
  return new Set(names);
}

function checkAccuracy(suite: Suite, models: ModelChoice[], issues: SuiteIssue[]): void {
  if (suite.accuracy && !suite.dataset) {
    issues.push({ path: ['accuracy'], message: 'accuracy needs a dataset section: where are the images and labels?' });
    return;
  }
  const all = new Map([...models, ...suite.include.map((i) => modelChoice(i.model))].map((m) => [m.name, m]));
  suite.accuracy?.models?.forEach((name, i) => {
    const m = all.get(name);
    if (!m) issues.push({ path: ['accuracy', 'models', i], message: `'${name}' is not a model of this suite (models: ${[...all.keys()].join(', ')})` });
    else if (isExplicitlySynthetic(m)) {
      issues.push({ path: ['accuracy', 'models', i], message: `'${name}' has synthetic (seeded) weights: it is for timing only and its accuracy would mean nothing` });
    }
  });
}

/** The semantic check the loader runs after zod: expansion problems as located issues. */
export function checkSuite(suite: Suite): SuiteIssue[] {
  return expandSuite(suite).issues;
}
