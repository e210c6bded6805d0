/**
 * Shapes of a measurement as results carry them: latency statistics, throughput, blocks, run
 * length, why a thread stopped, and validity warnings (with the ones that make it invalid).
 */
export interface LatencyStats {
  /** Sample count. */
  n: number;
  /** Milliseconds. */
  mean: number;
  /** Sample standard deviation (n - 1), ms. */
  sd: number;
  min: number;
  p50: number;
  p90: number;
  p95: number;
  p99: number;
  p999: number;
  max: number;
  /** Coefficient of variation, sd / mean (a fraction, not percent). */
  cv: number;
}

export interface Throughput {
  /** Images per second: completed calls x batch / wall seconds. */
  qps: number;
  /** Calls completed inside the measured window, all threads. */
  completed: number;
  /** Images completed (completed x batch). */
  images: number;
  /** From the first measured call's start to the last measured call's end, any thread. */
  wallSeconds: number;
}

/** Per-block qps and mean latency of consecutive call blocks: what the gate's significance test compares. */
export interface Blocks {
  qps: number[];
  mean: number[];
}

/** The measuring policy a case ran under (seconds). */
export interface RunLength {
  warmupSeconds: number;
  warmupIterations: number;
  minSeconds: number;
  minIterations: number;
  maxSeconds: number;
}

/**
 * A case's measurement in flight: its phase, seconds into that phase, and, where the backend lets
 * calls be observed (the onnxruntime threads), the measured calls completed so far by all threads.
 */
export interface MeasureProgress {
  phase: 'warmup' | 'measure';
  phaseSeconds: number;
  calls?: number;
}

/** Why a measuring thread stopped: its policy was met, maxDuration cut it, or it was asked to stop. */
export type StopReason = 'policy' | 'max-duration' | 'stop-request';

export const VALIDITY_CODES = [
  'too-few-samples',
  'short-duration',
  'stopped-at-max-duration',
  'high-cv',
  'outliers',
  'drift',
  'thread-imbalance',
  'timer-resolution',
  'few-tail-samples',
] as const;

export interface ValidityWarning {
  code: (typeof VALIDITY_CODES)[number];
  message: string;
}

export interface Validity {
  valid: boolean;
  warnings: ValidityWarning[];
}

/** The warnings that make a measurement invalid (the rest are cautions). */
export const INVALIDATING: readonly ValidityWarning['code'][] = ['too-few-samples', 'short-duration'];

/** Why a measurement is invalid, for messages: its invalidating warning codes. */
export function invalidReasons(v: Validity): string {
  return v.warnings.filter((w) => INVALIDATING.includes(w.code)).map((w) => w.code).join(', ') || 'see warnings';
}
