/**
 * The results object: what every report format reads and what results.json stores. Versioned;
 * readers refuse a newer schema rather than misread it.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { readUserFile, UserError } from '../errors.js';
import type { GateReport } from '../baseline/compare.js';
import type { EnvFingerprint } from '../env/fingerprint.js';
import type { Blocks, LatencyStats, Throughput } from '../measure/stats.js';
import type { ValidityWarning } from '../measure/validity.js';
import type { CaseKey } from '../suite/expand.js';

export const RESULTS_SCHEMA_VERSION = 1;

export type CaseStatus = 'ok' | 'failed' | 'unavailable' | 'skipped';

export interface ThreadLatency extends LatencyStats {
  thread: number;
}

export interface AccuracySummary {
  status: 'ok' | 'refused' | 'failed';
  /** Why it was refused or failed. */
  reason?: string;
  dataset?: { name: string; images: string; labels?: string; selected: number };
  n?: number;
  top1?: { correct: number; value: number; ci95: [number, number] };
  top5?: { correct: number; value: number; ci95: [number, number] };
  skipped?: { file: string; reason: string }[];
  /** JSONL of per-image top-5 predictions, relative to the run directory. */
  predictionsFile?: string;
  imagesPerSecond?: number;
  preprocess?: Record<string, unknown>;
}

export interface CaseResult {
  id: string;
  key: CaseKey;
  status: CaseStatus;
  /** True for sim-* targets: never compared with hardware, labelled in every report line. */
  simulated: boolean;
  /** none: a simulated device runs no model at all. */
  weights: 'real' | 'synthetic' | 'none';
  model: { ref: string; path?: string; sha256?: string; description?: string };
  target: { id: string; backend: string; device: string };
  /** What failed and whose fault it is: bad-input exits 2, infrastructure exits 3. */
  error?: { kind: 'bad-input' | 'infrastructure'; message: string };
  notes: string[];
  /** The policy the case ran under (seconds). */
  runLength?: { warmupSeconds: number; warmupIterations: number; minSeconds: number; minIterations: number; maxSeconds: number };
  session?: Record<string, string | number>;
  inputs?: { name: string; type: string; shape: number[] }[];
  latency?: { pooled: LatencyStats; perThread: ThreadLatency[]; device?: LatencyStats };
  throughput?: Throughput;
  /** qps and mean latency of consecutive call blocks (stats.blocks): what the gate's significance test compares. */
  blocks?: Blocks;
  validity?: { valid: boolean; warnings: ValidityWarning[] };
  timings?: { sessionCreateMs: number; firstCallMs: number; warmupCalls: number };
  accuracy?: AccuracySummary;
  /** File (relative to the run directory) holding per-thread latency samples in call order. */
  samplesFile?: string;
  startedAt?: string;
  durationSeconds?: number;
}

export interface RunResults {
  schemaVersion: number;
  runId: string;
  suite: { name: string; file: string; description?: string };
  startedAt: string;
  finishedAt: string;
  env: EnvFingerprint;
  /** The percentile and throughput rules, stated with the numbers they produced. */
  definitions: { percentile: string; throughput: string; latencyUnit: 'ms' };
  cases: CaseResult[];
  summary: { total: number; ok: number; failed: number; unavailable: number; skipped: number; invalid: number };
  /** Verdicts against baselines, when the run was gated or compared. */
  gate?: GateReport;
}

export const DEFINITIONS: RunResults['definitions'] = {
  percentile: 'nearest rank: the p-th percentile of n sorted samples is x[ceil(p/100*n)-1]; no interpolation',
  throughput: 'qps = completed calls x batch / (last measured end - first measured start) across all threads',
  latencyUnit: 'ms',
};

export function summarizeCases(cases: readonly CaseResult[]): RunResults['summary'] {
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

/** Just enough structure to read safely: a results file from a newer schema is refused, not misread. */
const ResultsShape = z.looseObject({
  schemaVersion: z.int().min(1),
  runId: z.string(),
  suite: z.looseObject({ name: z.string() }),
  env: z.looseObject({ machineClass: z.string() }),
  cases: z.array(
    z.looseObject({
      id: z.string(),
      key: z.looseObject({ model: z.string(), target: z.string(), precision: z.string(), batch: z.int(), threads: z.int() }),
      status: z.enum(['ok', 'failed', 'unavailable', 'skipped']),
      simulated: z.boolean(),
      target: z.looseObject({ id: z.string(), backend: z.string() }),
    }),
  ),
});

export interface LoadedResults {
  /** The results.json read. */
  file: string;
  /** Its run directory: samples and predictions paths are relative to it. */
  dir: string;
  results: RunResults;
}

/** Reads results.json, given the file or its run directory. */
export function readResults(path: string): LoadedResults {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'results.json') : path;
  const text = readUserFile(file, 'results', 'give a results.json or the run directory holding it');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UserError(`results ${file}: not a results file: the JSON does not parse (${(err as Error).message}).`);
  }
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > RESULTS_SCHEMA_VERSION) {
    throw new UserError(`results ${file} schemaVersion: ${version} is newer than this infergate reads (${RESULTS_SCHEMA_VERSION}); upgrade infergate to read it.`);
  }
  const parsed = ResultsShape.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const where = first.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || '(top level)';
    throw new UserError(`results ${file} ${where}: ${first.message}. Is this a results.json written by 'infergate run'?`);
  }
  return { file, dir: dirname(file), results: raw as RunResults };
}
