/**
 * The results object: what every report format reads and what results.json stores. The zod
 * schemas here are the one definition that writes and reads it (and schema/results.schema.json
 * is generated from them). Versioned: readers refuse a newer schema rather than misread it.
 */
import { z } from 'zod';
import { CaseKeySchema } from './case-key.js';
import { caseMachineClass, EnvFingerprintSchema, type EnvFingerprint } from './env.js';
import { GateReportSchema } from './gate-report.js';
import { PeerResultSchema, TelemetrySummarySchema } from './telemetry.js';
import { BlocksSchema, LatencyStatsSchema, Num, RunLengthSchema, ThroughputSchema, ValiditySchema } from './measurement.js';

export const RESULTS_SCHEMA_VERSION = 1;

export const CASE_STATUSES = ['ok', 'failed', 'unavailable', 'skipped'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const ThreadLatencySchema = LatencyStatsSchema.extend({ thread: z.number().int() });
export type ThreadLatency = z.output<typeof ThreadLatencySchema>;

/** A proportion of images with its 95% Wilson interval. */
export const ProportionSchema = z.object({ correct: z.number().int(), value: z.number(), ci95: z.tuple([z.number(), z.number()]) });
export type Proportion = z.output<typeof ProportionSchema>;

export const AccuracySummarySchema = z.object({
  status: z.enum(['ok', 'refused', 'failed']),
  /** Why it was refused or failed. */
  reason: z.string().optional(),
  dataset: z.object({ name: z.string(), images: z.string(), labels: z.string().optional(), selected: z.number().int() }).optional(),
  n: z.number().int().optional(),
  top1: ProportionSchema.optional(),
  top5: ProportionSchema.optional(),
  skipped: z.array(z.object({ file: z.string(), reason: z.string() })).optional(),
  /** JSONL of per-image top-5 predictions, relative to the run directory. */
  predictionsFile: z.string().optional(),
  imagesPerSecond: z.number().optional(),
  preprocess: z.record(z.string(), z.unknown()).optional(),
  /** The input encoding used (resize, crop, colour order, layout, NV12...) and where the rule comes from. */
  encoding: z.string().optional(),
  /** Run-time checks that did not stop the evaluation, e.g. predictions collapsed onto one class. */
  warnings: z.array(z.string()).optional(),
  /**
   * The preprocessed-input cache: hit (every scored image read from it), filled (images decoded
   * this run were written to it), miss (decoded, not cached: dataset.cache: false, or a disk
   * that refused the write, with a warning).
   */
  inputCache: z
    .object({
      status: z.enum(['hit', 'miss', 'filled']),
      /** Size of the cache file after the run (0 when none was written or read). */
      bytes: z.number().int().nonnegative(),
      /** Bytes read from the cache this run. */
      readBytes: z.number().int().nonnegative().optional(),
      hits: z.number().int().nonnegative(),
      decoded: z.number().int().nonnegative(),
      file: z.string().optional(),
      /** sha256 over the ordered image list (paths with size and mtime, or content hashes) and the preprocessing spec. */
      key: z.string().optional(),
      /** Images were identified by content (sha256), not size and mtime (run --verify or dataset.cache: verify). */
      verified: z.boolean().optional(),
      reason: z.string().optional(),
      warnings: z.array(z.string()).optional(),
    })
    .optional(),
  /** Preprocessing threads and the images decoded ahead of inference (bounded memory). */
  pipeline: z.object({ prepThreads: z.number().int().positive(), lookahead: z.number().int().positive(), loweredThreads: z.number().int().nonnegative().optional() }).optional(),
});
export type AccuracySummary = z.output<typeof AccuracySummarySchema>;

export const CaseResultSchema = z.object({
  id: z.string(),
  key: CaseKeySchema,
  status: z.enum(CASE_STATUSES),
  /** True for sim-* targets: never compared with hardware, labelled in every report line. */
  simulated: z.boolean(),
  /**
   * True when a vendor backend ran on infergate's fake SDKs (the fake lab, CI): test doubles, not
   * hardware; labelled FAKE SDK in every report line and never compared with a hardware baseline.
   */
  fakeSdk: z.boolean().optional(),
  /** none: a simulated device runs no model at all. */
  weights: z.enum(['real', 'synthetic', 'none']),
  model: z.object({ ref: z.string(), path: z.string().optional(), sha256: z.string().optional(), description: z.string().optional() }),
  target: z.object({ id: z.string(), backend: z.string(), device: z.string() }),
  /** What failed and whose fault it is: bad-input exits 2, infrastructure exits 3. */
  error: z.object({ kind: z.enum(['bad-input', 'infrastructure']), message: z.string() }).optional(),
  notes: z.array(z.string()),
  runLength: RunLengthSchema.optional(),
  session: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
  inputs: z.array(z.object({ name: z.string(), type: z.string(), shape: z.array(z.number()) })).optional(),
  latency: z.object({ pooled: LatencyStatsSchema, perThread: z.array(ThreadLatencySchema), device: LatencyStatsSchema.optional() }).optional(),
  throughput: ThroughputSchema.optional(),
  blocks: BlocksSchema.optional(),
  validity: ValiditySchema.optional(),
  timings: z.object({ sessionCreateMs: Num, firstCallMs: Num, warmupCalls: z.number() }).optional(),
  accuracy: AccuracySummarySchema.optional(),
  /** File (relative to the run directory) holding per-thread latency samples in call order. */
  samplesFile: z.string().optional(),
  /** Host and device telemetry over the measured window (series in telemetry/case-NNN.json). */
  telemetry: TelemetrySummarySchema.optional(),
  /** The vendors' own tools on the same artifact (mm_run, hrt_model_exec): a second opinion. */
  peers: z.array(PeerResultSchema).optional(),
  startedAt: z.string().optional(),
  durationSeconds: z.number().optional(),
  /**
   * Set by `infergate merge`: the machine class, host and run each case came from, since a merged
   * file holds cases of several machines under one top-level env.
   */
  machineClass: z.string().optional(),
  host: z.string().optional(),
  runId: z.string().optional(),
});
export type CaseResult = z.output<typeof CaseResultSchema>;

export const RunSummarySchema = z.object({
  total: z.number().int(),
  ok: z.number().int(),
  failed: z.number().int(),
  unavailable: z.number().int(),
  skipped: z.number().int(),
  invalid: z.number().int(),
});
export type RunSummary = z.output<typeof RunSummarySchema>;

/** `run --shard K/N`: this run holds the K-th of N parts of the suite's cases. */
export const ShardSchema = z.object({ index: z.number().int().min(1), count: z.number().int().min(1) });
export type Shard = z.output<typeof ShardSchema>;

/** One run a merged results file was made from, with the fingerprint of the machine that ran it. */
export const MergedRunSchema = z.object({
  runId: z.string(),
  file: z.string(),
  startedAt: z.string(),
  finishedAt: z.string(),
  machineClass: z.string(),
  host: z.string(),
  shard: ShardSchema.optional(),
  env: EnvFingerprintSchema,
});
export type MergedRun = z.output<typeof MergedRunSchema>;

export const RunResultsSchema = z.object({
  schemaVersion: z.number().int().min(1),
  runId: z.string(),
  suite: z.object({ name: z.string(), file: z.string(), description: z.string().optional() }),
  startedAt: z.string(),
  finishedAt: z.string(),
  env: EnvFingerprintSchema,
  /** The percentile and throughput rules, stated with the numbers they produced. */
  definitions: z.object({ percentile: z.string(), throughput: z.string(), latencyUnit: z.literal('ms') }),
  cases: z.array(CaseResultSchema),
  summary: RunSummarySchema,
  /** Verdicts against baselines, when the run was gated or compared. */
  gate: GateReportSchema.optional(),
  shard: ShardSchema.optional(),
  /** Set by `infergate merge`: the runs this file was made from (env is the newest one's). */
  mergedFrom: z.array(MergedRunSchema).optional(),
});
export type RunResults = z.output<typeof RunResultsSchema>;

/** A results file as read: the run directory is where samples and predictions paths resolve. */
export interface LoadedResults {
  file: string;
  dir: string;
  results: RunResults;
}

/** A result's machine class: the one merge recorded on the case, else derived from the run's env. */
export function resultMachineClass(c: Pick<CaseResult, 'target' | 'machineClass'>, env: Pick<EnvFingerprint, 'machineClass'>): string {
  return c.machineClass ?? caseMachineClass(c.target, env);
}

/** Why a case has no accuracy, said the same way by the run and by the gate. */
export const NO_ACCURACY = {
  simulated: 'simulated device: no model runs, so there is no accuracy',
  synthetic: 'synthetic (seeded) weights: for timing only, no accuracy is reported',
} as const;

/** Why a fake-SDK result has no verdict against a baseline, said the same way everywhere. */
export const FAKE_SDK_NOTE = "FAKE SDK: ran on infergate's fake vendor SDKs (test doubles, not hardware); never compared with a hardware baseline";

export const DEFINITIONS: RunResults['definitions'] = {
  percentile: 'nearest rank: the p-th percentile of n sorted samples is x[ceil(p/100*n)-1]; no interpolation',
  throughput: 'qps = completed calls x batch / (last measured end - first measured start) across all threads',
  latencyUnit: 'ms',
};

export function summarizeCases(cases: readonly CaseResult[]): RunSummary {
  const count = (s: CaseStatus) => cases.filter((c) => c.status === s).length;
  return {
    total: cases.length,
    ok: count('ok'),
    failed: count('failed'),
    unavailable: count('unavailable'),
    skipped: count('skipped'),
    invalid: cases.filter((c) => c.status === 'ok' && c.validity && !c.validity.valid).length,
  };
}
