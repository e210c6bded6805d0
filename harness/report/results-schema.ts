/**
 * The results object (results.json, `run --json`) and the gate report as zod schemas: the one
 * description of the machine output that schema/*.schema.json are generated from and the tests
 * parse the commands' output with. The TypeScript interfaces in core/ stay the source the code
 * is written against; the assignments at the end fail to compile when the two drift apart.
 */
import { z } from 'zod';
import { METRIC_IDS, PRECISIONS, VALIDITY_CODES, VERDICTS, type GateReport, type RunResults } from '../core/index.js';

const finite = z.number();
const Latency = z.object({ n: z.int().min(0), mean: finite, sd: finite, min: finite, p50: finite, p90: finite, p95: finite, p99: finite, p999: finite, max: finite, cv: finite.describe('sd / mean, a fraction') });
const Proportion = z.object({ correct: z.int(), value: finite, ci95: z.tuple([finite, finite]) });
const Verdict = z.enum(VERDICTS);

export const CaseResultSchema = z.object({
  id: z.string(),
  key: z.object({ model: z.string(), target: z.string(), precision: z.enum(PRECISIONS), batch: z.int().min(1), threads: z.int().min(1) }),
  status: z.enum(['ok', 'failed', 'unavailable', 'skipped']),
  simulated: z.boolean(),
  weights: z.enum(['real', 'synthetic', 'none']),
  model: z.object({ ref: z.string(), path: z.string().optional(), sha256: z.string().optional(), description: z.string().optional() }),
  target: z.object({ id: z.string(), backend: z.string(), device: z.string() }),
  error: z.object({ kind: z.enum(['bad-input', 'infrastructure']), message: z.string() }).optional(),
  notes: z.array(z.string()),
  runLength: z.object({ warmupSeconds: finite, warmupIterations: z.int(), minSeconds: finite, minIterations: z.int(), maxSeconds: finite }).optional(),
  session: z.record(z.string(), z.union([z.string(), finite])).optional(),
  inputs: z.array(z.object({ name: z.string(), type: z.string(), shape: z.array(z.number()) })).optional(),
  latency: z.object({ pooled: Latency, perThread: z.array(Latency.extend({ thread: z.int() })), device: Latency.optional() }).optional(),
  throughput: z.object({ qps: finite, completed: z.int(), images: z.int(), wallSeconds: finite }).optional(),
  blocks: z.object({ qps: z.array(finite), mean: z.array(finite) }).optional(),
  validity: z.object({ valid: z.boolean(), warnings: z.array(z.object({ code: z.enum(VALIDITY_CODES), message: z.string() })) }).optional(),
  timings: z.object({ sessionCreateMs: finite, firstCallMs: finite, warmupCalls: z.int() }).optional(),
  accuracy: z
    .object({
      status: z.enum(['ok', 'refused', 'failed']),
      reason: z.string().optional(),
      dataset: z.object({ name: z.string(), images: z.string(), labels: z.string().optional(), selected: z.int() }).optional(),
      n: z.int().optional(),
      top1: Proportion.optional(),
      top5: Proportion.optional(),
      skipped: z.array(z.object({ file: z.string(), reason: z.string() })).optional(),
      predictionsFile: z.string().optional(),
      imagesPerSecond: finite.optional(),
      preprocess: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  samplesFile: z.string().optional(),
  startedAt: z.string().optional(),
  durationSeconds: finite.optional(),
});

export const MetricVerdictSchema = z.object({
  caseId: z.string(),
  metric: z.enum([...METRIC_IDS, 'case']),
  verdict: Verdict,
  simulated: z.boolean(),
  baseline: finite.optional(),
  current: finite.optional(),
  change: finite.optional().describe('performance: current / baseline - 1; accuracy: current - baseline'),
  changeCi: z.tuple([finite, finite]).optional().describe('95% interval of the change'),
  threshold: finite.optional(),
  test: z.enum(['mann-whitney', 'mcnemar', 'wilson', 'threshold-only', 'none']),
  p: finite.optional(),
  reason: z.string(),
  baselineFile: z.string().optional(),
  source: z.string().optional(),
});

export const GateReportSchema = z.object({
  baselines: z.array(z.object({ file: z.string(), name: z.string(), source: z.string() })),
  alpha: finite,
  thresholds: z.record(z.enum(METRIC_IDS), finite),
  failOn: z.array(Verdict),
  verdicts: z.array(MetricVerdictSchema),
  counts: z.record(Verdict, z.int()),
  envDiff: z.array(z.object({ baselineFile: z.string(), source: z.string(), changes: z.array(z.object({ field: z.string(), baseline: z.string().optional(), current: z.string().optional() })), note: z.string().optional() })),
  exitCode: z.union([z.literal(0), z.literal(1)]),
});

export const RunResultsSchema = z.object({
  schemaVersion: z.int().min(1),
  runId: z.string(),
  suite: z.object({ name: z.string(), file: z.string(), description: z.string().optional() }),
  startedAt: z.string(),
  finishedAt: z.string(),
  env: z.object({
    host: z.string(),
    os: z.object({ platform: z.string(), release: z.string(), distro: z.string().optional(), arch: z.string() }),
    cpu: z.object({ model: z.string(), logicalCores: z.int(), flags: z.array(z.string()).optional() }),
    memoryGiB: finite,
    node: z.string(),
    infergate: z.object({ version: z.string(), commit: z.string().optional(), dirty: z.boolean().optional() }),
    runtimes: z.record(z.string(), z.string()),
    targets: z.record(z.string(), z.record(z.string(), z.string())),
    machineClass: z.string(),
  }),
  definitions: z.object({ percentile: z.string(), throughput: z.string(), latencyUnit: z.literal('ms') }),
  cases: z.array(CaseResultSchema),
  summary: z.object({ total: z.int(), ok: z.int(), failed: z.int(), unavailable: z.int(), skipped: z.int(), invalid: z.int() }),
  gate: GateReportSchema.optional(),
});

// Compile-time: the interfaces the code writes must satisfy the schemas the documentation states.
export const resultsFitSchema = (r: RunResults): z.input<typeof RunResultsSchema> => r;
export const gateFitsSchema = (g: GateReport): z.input<typeof GateReportSchema> => g;
