/**
 * Measures one case on its target's backend. The only place that knows which measuring engine
 * serves which backend; everything downstream sees a Measurement.
 */
import os from 'node:os';
import { InfraError, UserError } from '../errors.js';
import type { Case } from '../suite/expand.js';
import type { OrtSessionConfig } from '../targets/ort/session.js';
import { simProfile, deviceLatencyMs } from '../targets/sim-profiles.js';
import { measureOrt, type Measurement } from './measure.js';
import { measureNative } from './native.js';
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
    case 'sim': {
      const profile = simProfile(c.target.id, c.key.precision);
      if (!profile) throw new InfraError(`no simulation profile for ${c.target.id} at ${c.key.precision}`);
      // native.sim.slowdown scales every service time: a known, injected regression for gate tests.
      const { slowdown: rawSlowdown, ...simOptions } = c.native.sim;
      const slowdown = rawSlowdown === undefined ? 1 : Number(rawSlowdown);
      if (!(slowdown > 0)) throw new UserError(`native.sim.slowdown: ${String(rawSlowdown)} is not a positive factor (1.05 = 5% slower)`);
      const options = {
        device: c.target.id,
        cores: profile.cores,
        fixed_us: Math.round(deviceLatencyMs(profile, c.key.batch) * 1000 * slowdown),
        host_us: Math.round(profile.hostMs * 1000 * slowdown),
        jitter: profile.jitter,
        seed: 1,
        ...simOptions,
      };
      const measurement = await measureNative({ backend: 'sim', artifact: '', options, batch: c.key.batch, threads: c.key.threads, runLength: runLengthOf(c), signal });
      return { measurement, session: { ...options, profileSource: profile.source } };
    }
    case 'magicmind':
    case 'hbdnn': {
      const options = { device: c.native.device, bpu_core: c.native.bpuCore, timeout_ms: c.native.timeoutMs };
      const measurement = await measureNative({ backend: c.target.backend, artifact: modelPath, options, batch: c.key.batch, threads: c.key.threads, runLength: runLengthOf(c), signal });
      return { measurement, session: { ...options } };
    }
  }
}
