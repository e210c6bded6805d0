/**
 * The case loop: each pending case in matrix order, its result built, run (isolated), and
 * journalled before the next starts. An interrupted run stops starting cases; what did not
 * finish is kept apart (not journalled) so that --resume runs it again.
 */
import type { CaseResult } from '../core/index.js';
import { runLengthOf } from '../measure/index.js';
import type { Case } from '../suite/case.js';
import type { DatasetValue } from '../suite/schema.js';
import { applyFindings, baseResult } from './case-result.js';
import type { CaseRunner } from './case-runner.js';
import type { Evaluations } from './evaluations.js';
import type { Interruption } from './exit-code.js';
import type { LiveProgress } from '../report/progress.js';
import type { Journal } from './journal.js';
import type { RunPlan } from './plan.js';

export interface CaseLoop {
  cases: readonly Case[];
  done: ReadonlySet<string>;
  plan: RunPlan;
  evaluations: Evaluations;
  runCase: CaseRunner;
  journal: Journal;
  runDir: string;
  datasetSpec?: DatasetValue;
  interrupted: () => Interruption | undefined;
  log: (line: string) => void;
  /** The live line of the measuring case (i/N, elapsed and left, calls, qps); none when undefined. */
  live?: LiveProgress;
}

/** Runs the loop; returns the results that were not journalled (interrupted cases). */
export async function runCases(l: CaseLoop): Promise<Map<string, CaseResult>> {
  const unjournalled = new Map<string, CaseResult>();
  const runStartedMs = Date.now();
  // What a case should take by its policy, for the run's remaining time on the live line.
  const expected = l.cases.map((c) => (l.done.has(c.id) || !l.plan.availability.get(c.target.id)?.available ? 0 : c.measure.warmup.duration + c.measure.minDuration));
  for (const [i, c] of l.cases.entries()) {
    if (l.done.has(c.id)) continue;
    const avail = l.plan.availability.get(c.target.id)!;
    const model = l.plan.modelFor(c);
    const r = baseResult(c, model);
    if (!avail.available) {
      r.status = 'unavailable';
      r.notes.push(`target unavailable: ${avail.reason}`);
      l.journal.appendCase(i, r);
      continue;
    }
    const stopped = l.interrupted();
    if (stopped) {
      r.notes.push(`not run: the run was interrupted (${stopped}); --resume runs it`);
      unjournalled.set(c.id, r);
      continue;
    }
    l.log(`[${i + 1}/${l.cases.length}] ${c.id}${c.target.simulated ? ' (SIMULATED)' : ''}${r.weights === 'synthetic' ? ' (synthetic weights)' : ''} ...`);
    const t0 = Date.now();
    r.startedAt = new Date(t0).toISOString();
    r.runLength = runLengthOf(c);
    const { known, evaluate } = l.evaluations.decide(c, model);
    if (known) {
      r.accuracy = known;
      if (known.status === 'refused') r.notes.push(`accuracy not scored: ${known.reason}`);
    }
    const info = { index: i, total: l.cases.length, caseId: c.id, runLength: r.runLength, threads: c.key.threads, batch: c.key.batch, caseStartedMs: t0, runStartedMs, laterSeconds: expected.slice(i + 1).reduce((a, b) => a + b, 0) };
    const live = l.live;
    const work = { c, index: i, runDir: l.runDir, model, evaluate: evaluate && l.datasetSpec && { dataset: evaluate, spec: l.datasetSpec } };
    const findings = await l.runCase(work, 'case process', live && ((p) => live.measuring(info, p)));
    live?.clear();
    applyFindings(r, findings);
    if (evaluate) l.evaluations.record(c, r.accuracy);
    r.durationSeconds = (Date.now() - t0) / 1000;
    const now = l.interrupted();
    if (findings.interrupted || (now && r.status !== 'ok')) {
      if (r.status !== 'ok') r.status = 'skipped';
      r.notes.push(`interrupted (${now ?? 'SIGINT'}): not journalled; --resume runs this case again`);
      unjournalled.set(c.id, r);
      continue;
    }
    l.journal.appendCase(i, r);
  }
  return unjournalled;
}
