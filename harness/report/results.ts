/**
 * The results object: what every report format reads and what results.json stores. Versioned;
 * readers refuse a newer schema rather than misread it.
 */
import type { EnvFingerprint } from '../env/fingerprint.js';
import type { LatencyStats, Throughput } from '../measure/stats.js';
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
