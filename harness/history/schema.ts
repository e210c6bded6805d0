/**
 * The shape of `infergate history --json` (and what the HTML page and terminal table are drawn
 * from): per machine class, case and metric, the series of runs and the steps found in it.
 * Versioned like results.json; schema/history.schema.json is generated from it.
 */
import { z } from 'zod';
import { METRIC_IDS } from '../core/index.js';

export const HISTORY_SCHEMA_VERSION = 1;

export const HistoryPointSchema = z.object({
  runId: z.string(),
  startedAt: z.string(),
  value: z.number().optional(),
  /** Why this run's figure is not part of the fit (case failed, measurement invalid). */
  excluded: z.string().optional(),
});

export const HistoryEnvChangeSchema = z.object({ field: z.string(), before: z.string().optional(), after: z.string().optional() });

export const HistoryStepSchema = z.object({
  /** Index into the series' fitted points (excluded runs left out) of the first run after the step. */
  index: z.number().int(),
  runId: z.string(),
  startedAt: z.string(),
  /** The last run before the step, whose environment the change is diffed against. */
  previousRunId: z.string(),
  before: z.number(),
  after: z.number(),
  /** Relative for performance metrics (0.08 = 8%), a difference of fractions for accuracy. */
  change: z.number(),
  direction: z.enum(['regressed', 'improved']),
  p: z.number(),
  test: z.literal('mann-whitney'),
  samples: z.enum(['blocks', 'runs']),
  runsBefore: z.number().int(),
  runsAfter: z.number().int(),
  envChanges: z.array(HistoryEnvChangeSchema),
});
export type HistoryStep = z.output<typeof HistoryStepSchema>;

export const HistorySeriesSchema = z.object({
  machineClass: z.string(),
  caseId: z.string(),
  metric: z.enum(METRIC_IDS),
  simulated: z.boolean(),
  unit: z.string(),
  direction: z.enum(['higher', 'lower']),
  threshold: z.number(),
  points: z.array(HistoryPointSchema),
  steps: z.array(HistoryStepSchema),
});
export type HistorySeries = z.output<typeof HistorySeriesSchema>;

export const HistoryReportSchema = z.object({
  schemaVersion: z.number().int().min(1),
  generatedAt: z.string(),
  /** How steps were judged: the gate's alpha and the practical thresholds per metric. */
  alpha: z.number(),
  thresholds: z.record(z.string(), z.number()),
  filter: z.object({ case: z.string().optional(), since: z.string().optional(), metrics: z.array(z.enum(METRIC_IDS)) }),
  files: z.number().int(),
  runs: z.number().int(),
  series: z.array(HistorySeriesSchema),
});
export type HistoryReport = z.output<typeof HistoryReportSchema>;
