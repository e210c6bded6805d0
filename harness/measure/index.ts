/**
 * Measures one case on its target's backend. The only place that knows which measuring engine
 * serves which backend; everything downstream sees a Measurement.
 */
import os from 'node:os';
import { InfraError } from '../errors.js';
import type { Case } from '../suite/expand.js';
import type { OrtSessionConfig } from '../targets/ort/session.js';
import { measureOrt, type Measurement } from './measure.js';
import type { RunLength } from './protocol.js';

export function runLengthOf(c: Case): RunLength {
  return {
    warmupSeconds: c.measure.warmup.duration,
    warmupIterations: c.measure.warmup.iterations,
    minSeconds: c.measure.minDuration,
    minIterations: c.measure.minIterations,
    maxSeconds: c.measure.maxDuration,
  };
}

/** `auto` gives each measuring thread an equal share of the cores, at least one. */
export function ortSessionConfig(c: Case, cores = os.cpus().length): OrtSessionConfig {
  const intra = c.ort.intraOpThreads === 'auto' ? Math.max(1, Math.floor(cores / c.key.threads)) : c.ort.intraOpThreads;
  return {
    intraOpThreads: intra,
    interOpThreads: c.ort.interOpThreads,
    graphOptimizationLevel: c.ort.graphOptimizationLevel,
    executionMode: c.ort.executionMode,
  };
}

export async function measureCase(c: Case, modelPath: string, signal?: AbortSignal): Promise<{ measurement: Measurement; session: Record<string, string | number> }> {
  switch (c.target.backend) {
    case 'ort': {
      const session = ortSessionConfig(c);
      const measurement = await measureOrt({ modelPath, batch: c.key.batch, threads: c.key.threads, session, runLength: runLengthOf(c), signal });
      return { measurement, session: { ...session } };
    }
    default:
      throw new InfraError(`backend '${c.target.backend}' is not available in this build`);
  }
}
