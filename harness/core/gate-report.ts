/** What the gate says about a run: a verdict per case and metric, and the environment diff. */
import { z } from 'zod';
import { METRIC_IDS, VERDICTS, worstVerdict, type Verdict } from './metrics.js';

export const TEST_USED = ['mann-whitney', 'binomial', 'mcnemar', 'wilson', 'threshold-only', 'none'] as const;
export type TestUsed = (typeof TEST_USED)[number];

export const MetricVerdictSchema = z.object({
  caseId: z.string(),
  /** 'case' when the verdict is about the case as a whole (no baseline, or not in this run). */
  metric: z.union([z.enum(METRIC_IDS), z.literal('case')]),
  verdict: z.enum(VERDICTS),
  simulated: z.boolean(),
  /** The case ran on infergate's fake vendor SDKs (the fake lab): never judged against hardware. */
  fakeSdk: z.boolean().optional(),
  baseline: z.number().optional(),
  current: z.number().optional(),
  /** Performance: relative change (current / baseline - 1). Accuracy: absolute (current - baseline). */
  change: z.number().optional(),
  /** 95% interval of the change, same scale as change; absent for threshold-only verdicts (no samples). */
  changeCi: z.tuple([z.number(), z.number()]).optional(),
  threshold: z.number().optional(),
  test: z.enum(TEST_USED),
  p: z.number().optional(),
  reason: z.string(),
  baselineFile: z.string().optional(),
  /** Where the baseline figure came from, in a few words. */
  source: z.string().optional(),
});
export type MetricVerdict = z.output<typeof MetricVerdictSchema>;

/** A verdict without the fields its caller knows (case, metric, simulated): what a judging function returns. */
export type Judgement = Omit<MetricVerdict, 'caseId' | 'metric' | 'simulated'>;

export const EnvChangeSchema = z.object({ field: z.string(), baseline: z.string().optional(), current: z.string().optional() });
export type EnvChange = z.output<typeof EnvChangeSchema>;

export const EnvDiffSchema = z.object({ baselineFile: z.string(), source: z.string(), changes: z.array(EnvChangeSchema), note: z.string().optional() });
export type EnvDiff = z.output<typeof EnvDiffSchema>;

export const GateReportSchema = z.object({
  baselines: z.array(z.object({ file: z.string(), name: z.string(), source: z.string() })),
  alpha: z.number(),
  thresholds: z.record(z.enum(METRIC_IDS), z.number()),
  failOn: z.array(z.enum(VERDICTS)),
  verdicts: z.array(MetricVerdictSchema),
  counts: z.record(z.enum(VERDICTS), z.number()),
  envDiff: z.array(EnvDiffSchema),
  /** 1 when any verdict is in failOn, else 0. */
  exitCode: z.union([z.literal(0), z.literal(1)]),
});
export type GateReport = z.output<typeof GateReportSchema>;

/** The verdict that sums up a case: the worst of its metrics. */
export function caseVerdict(report: GateReport, id: string): Verdict | undefined {
  return worstVerdict(report.verdicts.filter((v) => v.caseId === id).map((v) => v.verdict));
}
