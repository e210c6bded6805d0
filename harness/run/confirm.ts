/**
 * Shared machines have slow spells lasting seconds (a neighbour's load, a frequency drop) that
 * shift a whole measurement. A speed regression is believed only when most measurements of the
 * case show it: each suspect is measured again, up to `confirm` times, and is regressed when more
 * than half of its 1 + confirm measurements are; re-measuring stops as soon as that is decided.
 * One unlucky measurement cannot fail a case, and one lucky one cannot pass a real slowdown.
 * A case whose speed is inconclusive in the slower direction (beyond the threshold, not
 * significant) is undecided, not cleared: it is re-measured too, its first measurement counting
 * as not regressed. Accuracy is deterministic and is never re-run.
 */
import { METRICS, type GateReport, type MetricVerdict, type RunResults } from '../core/index.js';
import type { CaseFindings } from './execute-case.js';

const speed = (v: MetricVerdict) => v.metric !== 'case' && METRICS[v.metric].kind === 'performance';
const slower = (v: MetricVerdict) => v.metric !== 'case' && v.change !== undefined && (METRICS[v.metric].direction === 'higher' ? -v.change : v.change) > 0;

/** The cases whose speed the gate calls regressed: candidates for a confirming re-measurement. */
function suspects(gate: GateReport): Set<string> {
  return new Set(gate.verdicts.filter((v) => v.verdict === 'regressed' && speed(v)).map((v) => v.caseId));
}

/** Cases not regressed whose speed is inconclusive in the slower direction: measured again to decide. */
function undecided(gate: GateReport): Set<string> {
  const regressed = suspects(gate);
  return new Set(gate.verdicts.filter((v) => v.verdict === 'inconclusive' && speed(v) && slower(v) && !regressed.has(v.caseId)).map((v) => v.caseId));
}

export interface Confirmation {
  confirm: number;
  /** Measures the case again (its samples file marked with the attempt). */
  remeasure(caseId: string, attempt: number): Promise<CaseFindings>;
  /** The gate's verdicts for the results as they now stand. */
  rejudge(results: RunResults): GateReport;
  log(line: string): void;
  signal?: AbortSignal;
}

/** How many of the 1 + confirm measurements must show the regression: more than half. */
export const regressedMajority = (confirm: number): number => Math.floor((1 + confirm) / 2) + 1;

interface Tally {
  regressed: number;
  measured: number;
}

export async function confirmRegressions(runResults: RunResults, job: Confirmation): Promise<void> {
  if (!runResults.gate || job.confirm <= 0) return;
  const needed = regressedMajority(job.confirm);
  const tallies = new Map<string, Tally>([
    ...[...suspects(runResults.gate)].map((id): [string, Tally] => [id, { regressed: 1, measured: 1 }]),
    ...[...undecided(runResults.gate)].map((id): [string, Tally] => [id, { regressed: 0, measured: 1 }]),
  ]);
  const open = (t: Tally, attemptsLeft: number) => t.regressed < needed && t.regressed + attemptsLeft >= needed;
  for (let attempt = 1; attempt <= job.confirm; attempt++) {
    const ids = [...tallies].filter(([, t]) => open(t, job.confirm - attempt + 1)).map(([id]) => id);
    if (!ids.length || job.signal?.aborted) break;
    const completed = new Set<string>();
    for (const id of ids) {
      const r = runResults.cases.find((c) => c.id === id)!;
      const before = r.throughput?.qps;
      const looks = tallies.get(id)!.regressed ? 'looks regressed' : 'is inconclusive (slower, not significant)';
      job.log(`gate: ${id} ${looks}; re-measuring to decide (${attempt} of ${job.confirm}; regressed needs ${needed} of ${1 + job.confirm} measurements)`);
      const f = await job.remeasure(id, attempt);
      if (f.status === 'ok' && !f.interrupted) {
        const { accuracy: _keep, notes: _n, ...measured } = f;
        Object.assign(r, measured);
        completed.add(id);
        r.notes.push(`re-measured (${attempt} of ${job.confirm}) to decide a suspected regression: ${before?.toFixed(2)} -> ${f.throughput!.qps.toFixed(2)} qps; the figures shown are the latest measurement`);
      } else {
        r.notes.push(`re-measurement ${attempt} did not complete (${f.error?.message ?? 'interrupted'}); the earlier measurement stands`);
      }
    }
    runResults.gate = job.rejudge(runResults);
    const now = suspects(runResults.gate);
    for (const id of completed) {
      const t = tallies.get(id)!;
      t.measured++;
      if (now.has(id)) t.regressed++;
    }
  }
  for (const [id, t] of tallies) {
    if (t.measured < 2) continue;
    const r = runResults.cases.find((c) => c.id === id)!;
    const outcome = t.regressed >= needed ? 'the regression is confirmed' : 'not confirmed: the latest measurement decides';
    r.notes.push(`gate confirmation: regressed in ${t.regressed} of ${t.measured} measurements (${needed} of ${1 + job.confirm} needed); ${outcome}`);
  }
}
