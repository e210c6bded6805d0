/**
 * Measuring on native backends (sim, magicmind, hbdnn): the addon's driver runs N std::threads
 * off the JS thread; this turns its timelines into the same Measurement the ort path produces,
 * through the same assembleMeasurement, so every target shares one set of definitions.
 */
import type { MeasureProgress, RunLength } from '../core/index.js';
import { InfraError, UserError } from '../errors.js';
import { loadNative } from '../targets/native.js';
import { assembleMeasurement, type Measurement } from './measure.js';

export interface NativeJob {
  backend: 'sim' | 'magicmind' | 'hbdnn';
  artifact: string;
  options: Record<string, string | number>;
  batch: number;
  threads: number;
  runLength: RunLength;
  signal?: AbortSignal;
  /** The driver's calls cannot be watched from here: told the phase by the clock and the run-length policy. */
  onProgress?: (p: MeasureProgress) => void;
}

/** Errors the runtime raises while opening an artifact are the user's (a wrong or corrupt file). */
/**
 * A vendor backend that cannot load the artifact was given a bad file (the user's to fix, exit 2);
 * the simulated device loads no user file, so any failure of its is a device fault (exit 3).
 */
export function classifyNativeError(backend: string, message: string): UserError | InfraError {
  return backend !== 'sim' && LOAD_ERROR.test(message) ? new UserError(`${backend}: ${message}`) : new InfraError(`${backend}: ${message}`);
}

const LOAD_ERROR = /cannot load|not found|no such file|deserializ|invalid model|corrupt/i;

export async function measureNative(job: NativeJob): Promise<Measurement> {
  const { addon, reason } = loadNative();
  if (!addon) throw new InfraError(reason ?? 'native addon unavailable');
  const cancel = new Int32Array(new SharedArrayBuffer(4));
  const onAbort = () => Atomics.store(cancel, 0, 1);
  job.signal?.addEventListener('abort', onAbort, { once: true });
  const t0 = performance.now();
  const tick = () => {
    const s = (performance.now() - t0) / 1000;
    const warm = job.runLength.warmupSeconds;
    job.onProgress?.(s < warm ? { phase: 'warmup', phaseSeconds: s } : { phase: 'measure', phaseSeconds: s - warm });
  };
  const timer = job.onProgress ? setInterval(tick, 500) : undefined;
  let result;
  // The driver's clock against the epoch clock: the timelines are moved onto the latter, which
  // telemetry and the ort threads use. An addon without clockMs gets an end-aligned estimate.
  const epoch = () => performance.timeOrigin + performance.now();
  const offset = addon.clockMs ? epoch() - addon.clockMs() : undefined;
  try {
    result = await addon.runDriver({
      backend: job.backend,
      artifact: job.artifact,
      options: { ...job.options, batch: job.batch },
      threads: job.threads,
      warmupSeconds: job.runLength.warmupSeconds,
      warmupIterations: job.runLength.warmupIterations,
      minSeconds: job.runLength.minSeconds,
      minIterations: job.runLength.minIterations,
      maxSeconds: job.runLength.maxSeconds,
      cancel,
    });
  } catch (err) {
    const message = (err as Error).message;
    throw classifyNativeError(job.backend, message);
  } finally {
    if (timer) clearInterval(timer);
    job.signal?.removeEventListener('abort', onAbort);
  }
  // A backend that reports device time reports it for every call (-1 where it cannot).
  const deviceOf = (d: Float64Array) => (d.length && d.every((v) => v >= 0) ? d : undefined);
  const lastEnd = Math.max(...result.threads.map((t) => (t.ends.length ? t.ends[t.ends.length - 1]! : -Infinity)));
  const shift = offset ?? (Number.isFinite(lastEnd) ? epoch() - lastEnd : 0);
  for (const t of result.threads) {
    for (let i = 0; i < t.starts.length; i++) t.starts[i]! += shift;
    for (let i = 0; i < t.ends.length; i++) t.ends[i]! += shift;
  }
  const m = assembleMeasurement(
    result.threads.map((t, index) => ({ index, starts: t.starts, ends: t.ends, stoppedBy: t.stoppedBy, device: deviceOf(t.deviceMs) })),
    result.threads,
    job.batch,
    job.runLength,
  );
  if (offset === undefined && m.window) m.window.approximate = true;
  return m;
}
