/**
 * Shapes of a measurement as results carry them (zod schemas: the one definition that writes and
 * reads results files): latency statistics, throughput, blocks, run length, why a thread
 * stopped, and validity warnings (with the ones that make it invalid).
 */
import { z } from 'zod';

/** A number that JSON wrote as null because it was NaN (no samples): read back as NaN. */
export const Num = z.union([z.number(), z.null().transform(() => Number.NaN)], { error: 'expected a number' });

export const LatencyStatsSchema = z.object({
  /** Sample count. */
  n: z.number().int().min(0),
  /** Milliseconds. */
  mean: Num,
  /** Sample standard deviation (n - 1), ms. */
  sd: Num,
  min: Num,
  p50: Num,
  p90: Num,
  p95: Num,
  p99: Num,
  p999: Num,
  max: Num,
  /** Coefficient of variation, sd / mean (a fraction, not percent). */
  cv: Num,
});
export type LatencyStats = z.output<typeof LatencyStatsSchema>;

export const ThroughputSchema = z.object({
  /** Images per second: completed calls x batch / wall seconds. */
  qps: z.number(),
  /** Calls completed inside the measured window, all threads. */
  completed: z.number().int().min(0),
  /** Images completed (completed x batch). */
  images: z.number().int().min(0),
  /** From the first measured call's start to the last measured call's end, any thread. */
  wallSeconds: z.number(),
});
export type Throughput = z.output<typeof ThroughputSchema>;

/** Per-block qps and mean latency of consecutive call blocks: what the gate's significance test compares. */
export const BlocksSchema = z.object({
  qps: z.array(z.number()),
  mean: z.array(Num),
  /** Mean device time of the same blocks, where the backend reports device time. */
  device: z.array(Num).optional(),
});
export type Blocks = z.output<typeof BlocksSchema>;

/** The measuring policy a case ran under (seconds). */
export const RunLengthSchema = z.object({
  warmupSeconds: z.number(),
  warmupIterations: z.number(),
  minSeconds: z.number(),
  minIterations: z.number(),
  maxSeconds: z.number(),
});
export type RunLength = z.output<typeof RunLengthSchema>;

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

export const ValidityWarningSchema = z.object({
  code: z.enum(VALIDITY_CODES),
  message: z.string(),
  /** outliers: how many calls. */
  count: z.number().int().optional(),
  /** What the telemetry saw that explains it (frequency, temperature, other processes), when it saw something. */
  evidence: z.string().optional(),
});
export type ValidityWarning = z.output<typeof ValidityWarningSchema>;

export const ValiditySchema = z.object({ valid: z.boolean(), warnings: z.array(ValidityWarningSchema) });
export type Validity = z.output<typeof ValiditySchema>;

/** The warnings that make a measurement invalid (the rest are cautions). */
export const INVALIDATING: readonly ValidityWarning['code'][] = ['too-few-samples', 'short-duration'];

/** Why a measurement is invalid, for messages: its invalidating warning codes. */
export function invalidReasons(v: Validity): string {
  return v.warnings.filter((w) => INVALIDATING.includes(w.code)).map((w) => w.code).join(', ') || 'see warnings';
}
