/**
 * What every command prints with --json, as zod schemas (schema/<command>.schema.json are
 * generated from them by `npm run schema`, and the tests parse each command's output with them).
 * Every document carries schemaVersion; stdout then holds that one JSON document and nothing else.
 */
import { z } from 'zod';
import { GateReportSchema, METRIC_IDS, RunResultsSchema, type GateReport } from '../core/index.js';

export const JSON_SCHEMA_VERSION = 1;
const version = z.literal(JSON_SCHEMA_VERSION);

export const CompareJson = GateReportSchema.extend({ schemaVersion: version, results: z.string(), baseline: z.string() });

export const DoctorJson = z.object({
  schemaVersion: version,
  status: z.enum(['ok', 'degraded', 'failed']).describe('failed: a required check failed (exit 3); degraded: an optional one did'),
  checks: z.array(z.object({ name: z.string(), ok: z.boolean(), required: z.boolean(), detail: z.string() })),
  targets: z.array(z.object({ id: z.string(), available: z.boolean(), reason: z.string().optional(), simulated: z.boolean() })),
  lab: z.array(z.object({ machine: z.string(), name: z.string(), ok: z.boolean(), detail: z.string() })).describe('the lab-machine checklist (README: Running on a lab machine)'),
});

export const ListJson = z.object({
  schemaVersion: version,
  targets: z.array(z.object({ id: z.string(), backend: z.string(), device: z.string(), simulated: z.boolean(), precisions: z.array(z.string()), description: z.string() })).optional(),
  models: z.array(z.object({ id: z.string(), synthetic: z.string().optional(), found: z.string().nullable(), description: z.string() })).optional(),
  suites: z.array(z.object({ name: z.string(), path: z.string() })).optional(),
});

export const ReproduceJson = z.object({
  schemaVersion: version,
  table: z.string(),
  title: z.string(),
  source: z.string(),
  rows: z.array(
    z.object({
      row: z.string(),
      metric: z.enum(METRIC_IDS),
      published: z.number(),
      measured: z.number().optional(),
      ratio: z.number().optional().describe('measured / published'),
      simulated: z.boolean(),
      fakeSdk: z.boolean().optional(),
      vendor: z
        .object({ tool: z.string(), version: z.string().optional(), value: z.number().optional(), ratio: z.number().optional().describe('vendor tool / published'), reason: z.string().optional() })
        .optional()
        .describe("the vendor tool's own figure for the row (mm_run, hrt_model_exec), run on the same artifact after infergate measured it"),
      runId: z.string().optional(),
      caseId: z.string().optional(),
      note: z.string().optional(),
    }),
  ),
  runs: z.array(z.string()),
  footnotes: z.array(z.string()),
  ranSuite: z.string().optional().describe('with --run: the run directory written first'),
});

export const BaselineUpdateJson = z.object({
  schemaVersion: version,
  file: z.string(),
  runId: z.string(),
  written: z.int(),
  replaced: z.int(),
  entries: z.int().describe('entries in the file after the update'),
  simulated: z.boolean(),
  refused: z.array(z.object({ caseId: z.string(), reason: z.string() })),
  wide: z
    .array(z.object({ caseId: z.string(), metric: z.string(), spread: z.number(), threshold: z.number(), message: z.string() }))
    .describe('pooled entries whose runs differ by more than the threshold: the gate cannot resolve changes within that spread'),
});

export const ConvertJson = z.object({
  schemaVersion: version,
  suite: z.string(),
  calibration: z.object({ folder: z.string(), images: z.int(), excludedForEvaluation: z.int() }).optional(),
  cases: z.array(
    z.object({
      id: z.string(),
      status: z.enum(['built', 'build-files', 'simulated', 'failed']).describe('build-files: the vendor toolchain is missing or --generate-only'),
      artifact: z.string().optional(),
      dir: z.string().optional(),
      synthetic: z.boolean(),
      error: z.string().optional(),
    }),
  ),
});

const CacheEntryJson = z.object({
  kind: z.enum(['artifact', 'inputs', 'temp']).describe('artifact: a converted model; inputs: a preprocessed-input cache file; temp: left by a process that died'),
  key: z.string(),
  path: z.string(),
  bytes: z.int(),
  lastUsed: z.string().describe('ISO time the entry was last written or read'),
  description: z.string(),
});

export const CacheLsJson = z.object({
  schemaVersion: version,
  root: z.string(),
  bytes: z.int().describe('total of the entries listed'),
  entries: z.array(CacheEntryJson).describe('least recently used first'),
});

export const CachePruneJson = z.object({
  schemaVersion: version,
  root: z.string(),
  maxBytes: z.int(),
  dryRun: z.boolean(),
  removed: z.array(CacheEntryJson),
  bytesBefore: z.int(),
  bytesAfter: z.int(),
  kept: z.int().describe('entries left'),
});

/** One schema per command, by the file name its JSON Schema is written to (schema/<name>.schema.json). */
export const COMMAND_SCHEMAS = {
  run: RunResultsSchema,
  compare: CompareJson,
  doctor: DoctorJson,
  list: ListJson,
  reproduce: ReproduceJson,
  'baseline-update': BaselineUpdateJson,
  convert: ConvertJson,
  'cache-ls': CacheLsJson,
  'cache-prune': CachePruneJson,
} as const;

export function comparisonJson(results: string, baseline: string, gate: GateReport): z.infer<typeof CompareJson> {
  return { schemaVersion: JSON_SCHEMA_VERSION, results, baseline, ...gate };
}
