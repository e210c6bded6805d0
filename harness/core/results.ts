/**
 * The results object: what every report format reads and what results.json stores. Versioned;
 * readers refuse a newer schema rather than misread it.
 */
import type { CaseKey } from './case-key.js';
import type { EnvFingerprint } from './env.js';
import type { GateReport } from './gate-report.js';
import type { Blocks, LatencyStats, RunLength, Throughput, Validity } from './measurement.js';

export const RESULTS_SCHEMA_VERSION = 1;

export type CaseStatus = 'ok' | 'failed' | 'unavailable' | 'skipped';

export interface ThreadLatency extends LatencyStats {
  thread: number;
}

/** A proportion of images with its 95% Wilson interval. */
export interface Proportion {
  correct: number;
  value: number;
  ci95: [number, number];
}

export interface AccuracySummary {
  status: 'ok' | 'refused' | 'failed';
  /** Why it was refused or failed. */
  reason?: string;
  dataset?: { name: string; images: string; labels?: string; selected: number };
  n?: number;
  top1?: Proportion;
  top5?: Proportion;
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
  runLength?: RunLength;
  session?: Record<string, string | number>;
  inputs?: { name: string; type: string; shape: number[] }[];
  latency?: { pooled: LatencyStats; perThread: ThreadLatency[]; device?: LatencyStats };
  throughput?: Throughput;
  blocks?: Blocks;
  validity?: Validity;
  timings?: { sessionCreateMs: number; firstCallMs: number; warmupCalls: number };
  accuracy?: AccuracySummary;
  /** File (relative to the run directory) holding per-thread latency samples in call order. */
  samplesFile?: string;
  startedAt?: string;
  durationSeconds?: number;
}

export interface RunSummary {
  total: number;
  ok: number;
  failed: number;
  unavailable: number;
  skipped: number;
  invalid: number;
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
  summary: RunSummary;
  /** Verdicts against baselines, when the run was gated or compared. */
  gate?: GateReport;
}

/** A results file as read: the run directory is where samples and predictions paths resolve. */
export interface LoadedResults {
  file: string;
  dir: string;
  results: RunResults;
}

/** Why a case has no accuracy, said the same way by the run and by the gate. */
export const NO_ACCURACY = {
  simulated: 'simulated device: no model runs, so there is no accuracy',
  synthetic: 'synthetic (seeded) weights: for timing only, no accuracy is reported',
} as const;

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
