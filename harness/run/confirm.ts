/**
 * Shared machines have slow spells lasting seconds (a neighbour's load, a frequency drop) that
 * shift a whole measurement. A regression is believed only when it survives re-measurement: each
 * suspect case is measured again, up to `confirm` times, and passes as soon as one measurement
 * does. Accuracy is deterministic and is never re-run.
 */
import { METRICS, type GateReport, type RunResults } from '../core/index.js';
import type { CaseFindings } from './execute-case.js';

/** The cases whose speed the gate calls regressed: candidates for a confirming re-measurement. */
function suspects(gate: GateReport): Set<string> {
  return new Set(gate.verdicts.filter((v) => v.verdict === 'regressed' && v.metric !== 'case' && METRICS[v.metric].kind === 'performance').map((v) => v.caseId));
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

export async function confirmRegressions(runResults: RunResults, job: Confirmation): Promise<void> {
  for (let attempt = 1; attempt <= job.confirm && runResults.gate; attempt++) {
    const ids = suspects(runResults.gate);
    if (!ids.size || job.signal?.aborted) return;
    for (const id of ids) {
      const r = runResults.cases.find((c) => c.id === id)!;
      const before = r.throughput?.qps;
      job.log(`gate: ${id} looks regressed; re-measuring to confirm (${attempt} of ${job.confirm})`);
      const f = await job.remeasure(id, attempt);
      if (f.status === 'ok' && !f.interrupted) {
        const { accuracy: _keep, notes: _n, ...measured } = f;
        Object.assign(r, measured);
        r.notes.push(`re-measured (${attempt} of ${job.confirm}) to confirm a suspected regression: ${before?.toFixed(2)} -> ${f.throughput!.qps.toFixed(2)} qps; the figures shown are the latest measurement`);
      } else {
        r.notes.push(`re-measurement ${attempt} did not complete (${f.error?.message ?? 'interrupted'}); the earlier measurement stands`);
      }
    }
    runResults.gate = job.rejudge(runResults);
  }
}
