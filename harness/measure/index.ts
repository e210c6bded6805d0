/**
 * Measures one case on its target's backend. The only place that knows which measuring engine
 * serves which backend; everything downstream sees a Measurement.
 */
import type { MeasureProgress, RunLength } from '../core/index.js';
import type { Case } from '../suite/case.js';
import { simOptions, vendorOptions } from '../targets/native-options.js';
import { ortSessionConfig } from '../targets/ort/options.js';
import { measureOrt, type Measurement } from './measure.js';
import { measureNative } from './native.js';

export function runLengthOf(c: Case): RunLength {
  return {
    warmupSeconds: c.measure.warmup.duration,
    warmupIterations: c.measure.warmup.iterations,
    minSeconds: c.measure.minDuration,
    minIterations: c.measure.minIterations,
    maxSeconds: c.measure.maxDuration,
  };
}

export async function measureCase(c: Case, modelPath: string, signal?: AbortSignal, onProgress?: (p: MeasureProgress) => void): Promise<{ measurement: Measurement; session: Record<string, string | number> }> {
  const runLength = runLengthOf(c);
  const { batch, threads } = c.key;
  if (c.target.backend === 'ort') {
    const session = ortSessionConfig(c);
    const measurement = await measureOrt({ modelPath, batch, threads, session, runLength, signal, onProgress });
    return { measurement, session: { ...session } };
  }
  const { options, profileSource } = c.target.backend === 'sim' ? simOptions(c) : vendorOptions(c);
  const artifact = c.target.backend === 'sim' ? '' : modelPath;
  const measurement = await measureNative({ backend: c.target.backend, artifact, options, batch, threads, runLength, signal, onProgress });
  return { measurement, session: { ...options, ...(profileSource ? { profileSource } : {}) } };
}
