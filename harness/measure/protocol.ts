/** Messages between the measuring orchestrator and its worker threads. */
import type { RunLength, StopReason } from '../core/index.js';
import type { OrtSessionConfig, InputDescription } from '../targets/ort/session.js';

export interface ThreadJob {
  index: number;
  modelPath: string;
  batch: number;
  session: OrtSessionConfig;
  runLength: RunLength;
  /** Int32Array over it: [0] = go flag (0 wait, 1 measure, 2 abandon), [1] = stop request. */
  control: SharedArrayBuffer;
}

export type ThreadMessage =
  | { type: 'ready'; index: number; sessionCreateMs: number; firstCallMs: number; warmupCalls: number; inputs: InputDescription[] }
  | {
      type: 'done';
      index: number;
      /** Start and end of each measured call, ms since the Unix epoch, in call order. */
      starts: Float64Array;
      ends: Float64Array;
      count: number;
      stoppedBy: StopReason;
    }
  /** Measured calls so far, posted at most every PROGRESS_EVERY_MS while measuring. */
  | { type: 'progress'; index: number; calls: number }
  | { type: 'error'; index: number; phase: 'load' | 'input' | 'warmup' | 'measure'; message: string };

export const PROGRESS_EVERY_MS = 250;

export const GO_WAIT = 0;
export const GO_MEASURE = 1;
export const GO_ABANDON = 2;
