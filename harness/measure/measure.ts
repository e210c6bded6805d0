/**
 * Runs one case's measurement: N worker threads, each with its own session, released together
 * after every one of them is warm; then per-thread and pooled latency, throughput and validity.
 */
import { Worker } from 'node:worker_threads';
import { InfraError, UserError } from '../errors.js';
import type { InputDescription, OrtSessionConfig } from '../targets/ort/session.js';
import { GO_ABANDON, GO_MEASURE, type ThreadJob, type ThreadMessage } from './protocol.js';
import type { Blocks, LatencyStats, MeasureProgress, RunLength, StopReason, Throughput, Validity } from '../core/index.js';
import { blocks, pool, summarize, throughput } from './stats.js';
import { assessValidity } from './validity.js';

export interface ThreadResult {
  index: number;
  latency: LatencyStats;
  completed: number;
  firstStartMs: number;
  lastEndMs: number;
  sessionCreateMs: number;
  firstCallMs: number;
  warmupCalls: number;
  stoppedBy: StopReason;
  /** Latencies in call order, ms. */
  samples: Float64Array;
  /** Each call's end in call order, epoch ms (the clock telemetry samples carry). */
  ends: Float64Array;
  /** Device compute time of each call in call order (ms), where the backend reports it. */
  deviceSamples?: Float64Array;
}

export interface Measurement {
  threads: ThreadResult[];
  pooled: LatencyStats;
  throughput: Throughput;
  validity: Validity;
  inputs: InputDescription[];
  /** Per-block qps and mean latency: the samples a baseline comparison tests (see stats.blocks). */
  blocks: Blocks;
  /** Device compute time per call, where the backend reports it (MagicMind notifiers, sim). */
  device?: LatencyStats;
  /**
   * The measured window on the epoch clock: the first measured call's start to the last call's
   * end, any thread. `approximate` when the driver's clock could not be read and the window was
   * placed by when the driver returned.
   */
  window?: { start: number; end: number; approximate?: boolean };
}

export interface MeasureJob {
  modelPath: string;
  batch: number;
  threads: number;
  session: OrtSessionConfig;
  runLength: RunLength;
  /** Aborting asks every thread to stop after its current call. */
  signal?: AbortSignal;
  /** Told the phase and, while measuring, the calls completed so far. */
  onProgress?: (p: MeasureProgress) => void;
}

const WORKER_URL = new URL('./ort-thread.js', import.meta.url);

/** Assembles the Measurement from per-thread timelines: the one place results are derived. */
export function assembleMeasurement(
  done: { index: number; starts: Float64Array; ends: Float64Array; stoppedBy: ThreadResult['stoppedBy']; device?: Float64Array }[],
  ready: { sessionCreateMs: number; firstCallMs: number; warmupCalls: number }[],
  batch: number,
  runLength: RunLength,
  inputs: InputDescription[] = [],
): Measurement {
  const threads: ThreadResult[] = done.map((d) => {
    const n = d.starts.length;
    const samples = new Float64Array(n);
    for (let i = 0; i < n; i++) samples[i] = d.ends[i]! - d.starts[i]!;
    const r = ready[d.index] ?? { sessionCreateMs: NaN, firstCallMs: NaN, warmupCalls: 0 };
    return {
      index: d.index,
      latency: summarize(samples),
      completed: n,
      firstStartMs: n ? d.starts[0]! : NaN,
      lastEndMs: n ? d.ends[n - 1]! : NaN,
      sessionCreateMs: r.sessionCreateMs,
      firstCallMs: r.firstCallMs,
      warmupCalls: r.warmupCalls,
      stoppedBy: d.stoppedBy,
      samples,
      ends: d.ends,
      ...(d.device ? { deviceSamples: d.device } : {}),
    };
  });
  const pooled = summarize(pool(threads.map((t) => t.samples)));
  const tp = throughput(threads, batch);
  const validity = assessValidity({
    perThreadOrdered: threads.map((t) => t.samples),
    pooled,
    wallSeconds: tp.wallSeconds,
    minSeconds: runLength.minSeconds,
    minIterations: runLength.minIterations,
    stoppedByMax: threads.some((t) => t.stoppedBy === 'max-duration'),
  });
  const device = threads.every((t) => t.deviceSamples?.length) ? summarize(pool(threads.map((t) => t.deviceSamples!))) : undefined;
  const measuredThreads = threads.filter((t) => t.completed > 0);
  const window = measuredThreads.length ? { start: Math.min(...measuredThreads.map((t) => t.firstStartMs)), end: Math.max(...measuredThreads.map((t) => t.lastEndMs)) } : undefined;
  return { threads, pooled, throughput: tp, validity, inputs, blocks: blocks(done, batch), ...(device ? { device } : {}), ...(window ? { window } : {}) };
}

export async function measureOrt(job: MeasureJob): Promise<Measurement> {
  const control = new SharedArrayBuffer(8);
  const flags = new Int32Array(control);
  const workers: Worker[] = [];
  const ready: { sessionCreateMs: number; firstCallMs: number; warmupCalls: number }[] = [];
  const done: { index: number; starts: Float64Array; ends: Float64Array; stoppedBy: ThreadResult['stoppedBy'] }[] = [];
  let inputs: InputDescription[] = [];
  const calls = new Array<number>(job.threads).fill(0);
  const t0 = performance.now();
  let released = 0;
  job.onProgress?.({ phase: 'warmup', phaseSeconds: 0 });

  const requestStop = () => {
    Atomics.store(flags, 1, 1);
    if (Atomics.load(flags, 0) === 0) {
      Atomics.store(flags, 0, GO_ABANDON);
      Atomics.notify(flags, 0);
    }
  };
  job.signal?.addEventListener('abort', requestStop, { once: true });

  try {
    await new Promise<void>((resolve, reject) => {
      let readyCount = 0;
      let finished = false;
      const fail = (err: Error) => {
        if (finished) return;
        finished = true;
        requestStop();
        reject(err);
      };
      for (let index = 0; index < job.threads; index++) {
        const threadJob: ThreadJob = { index, modelPath: job.modelPath, batch: job.batch, session: job.session, runLength: job.runLength, control };
        const worker = new Worker(WORKER_URL, { workerData: threadJob });
        workers.push(worker);
        worker.on('message', (m: ThreadMessage) => {
          if (m.type === 'ready') {
            ready[m.index] = m;
            inputs = m.inputs;
            if (++readyCount === job.threads) {
              if (job.signal?.aborted) return fail(new InfraError('measurement interrupted before it started'));
              Atomics.store(flags, 0, GO_MEASURE);
              Atomics.notify(flags, 0);
              released = performance.now();
              job.onProgress?.({ phase: 'measure', phaseSeconds: 0, calls: 0 });
            }
          } else if (m.type === 'progress') {
            calls[m.index] = m.calls;
            job.onProgress?.({ phase: 'measure', phaseSeconds: (performance.now() - (released || t0)) / 1000, calls: calls.reduce((a, b) => a + b, 0) });
          } else if (m.type === 'done') {
            done.push(m);
            if (done.length === job.threads && !finished) {
              finished = true;
              resolve();
            }
          } else {
            const where = `thread ${m.index} (${m.phase})`;
            fail(m.phase === 'load' || m.phase === 'input' ? new UserError(`${where}: ${m.message}`) : new InfraError(`${where}: ${m.message}`));
          }
        });
        worker.on('error', (err) => fail(new InfraError(`thread ${index} crashed: ${err.message}`)));
        worker.on('exit', (code) => {
          if (code !== 0) fail(new InfraError(`thread ${index} exited with code ${code}`));
          else if (!finished && Atomics.load(flags, 0) === GO_ABANDON) fail(new InfraError('measurement interrupted before it started'));
        });
      }
    });
  } finally {
    job.signal?.removeEventListener('abort', requestStop);
    await Promise.all(workers.map((w) => w.terminate()));
  }

  done.sort((a, b) => a.index - b.index);
  return assembleMeasurement(done, ready, job.batch, job.runLength, inputs);
}
