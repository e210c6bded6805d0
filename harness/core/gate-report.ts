/** What the gate says about a run: a verdict per case and metric, and the environment diff. */
import { worstVerdict, type MetricId, type Verdict } from './metrics.js';

export type TestUsed = 'mann-whitney' | 'mcnemar' | 'wilson' | 'threshold-only' | 'none';

export interface MetricVerdict {
  caseId: string;
  /** 'case' when the verdict is about the case as a whole (no baseline, or not in this run). */
  metric: MetricId | 'case';
  verdict: Verdict;
  simulated: boolean;
  baseline?: number;
  current?: number;
  /** Performance: relative change (current / baseline - 1). Accuracy: absolute (current - baseline). */
  change?: number;
  /** 95% interval of the change, same scale as change; absent for threshold-only verdicts (no samples). */
  changeCi?: [number, number];
  threshold?: number;
  test: TestUsed;
  p?: number;
  reason: string;
  baselineFile?: string;
  /** Where the baseline figure came from, in a few words. */
  source?: string;
}

/** A verdict without the fields its caller knows (case, metric, simulated): what a judging function returns. */
export type Judgement = Omit<MetricVerdict, 'caseId' | 'metric' | 'simulated'>;

export interface EnvChange {
  field: string;
  baseline?: string;
  current?: string;
}

export interface EnvDiff {
  baselineFile: string;
  source: string;
  changes: EnvChange[];
  note?: string;
}

export interface GateReport {
  baselines: { file: string; name: string; source: string }[];
  alpha: number;
  thresholds: Record<MetricId, number>;
  failOn: Verdict[];
  verdicts: MetricVerdict[];
  counts: Record<Verdict, number>;
  envDiff: EnvDiff[];
  /** 1 when any verdict is in failOn, else 0. */
  exitCode: 0 | 1;
}

/** The verdict that sums up a case: the worst of its metrics. */
export function caseVerdict(report: GateReport, id: string): Verdict | undefined {
  return worstVerdict(report.verdicts.filter((v) => v.caseId === id).map((v) => v.verdict));
}
