/**
 * One measuring thread (a worker_threads worker) for the `ort` backend: its own session, its own
 * warm-up, then - released by the orchestrator together with every other thread - a timing loop
 * driven by tinybench until BOTH the minimum duration and the minimum iteration count hold.
 *
 * Each call's start and end are recorded in call order (tinybench keeps only sorted latencies,
 * and drift checks need the order); statistics are computed by measure/stats.ts, never here.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { Bench } from 'tinybench';
import type { StopReason } from '../core/index.js';
import { createSession, makeFeeds } from '../targets/ort/session.js';
import { GO_ABANDON, GO_WAIT, PROGRESS_EVERY_MS, type ThreadJob, type ThreadMessage } from './protocol.js';

const job = workerData as ThreadJob;
const control = new Int32Array(job.control);
const post = (m: ThreadMessage, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);
/** Epoch-based ms so that threads (each with its own performance.timeOrigin) share one clock. */
const epochNow = () => performance.timeOrigin + performance.now();

class Timeline {
  starts = new Float64Array(1024);
  ends = new Float64Array(1024);
  count = 0;
  push(start: number, end: number): void {
    if (this.count === this.starts.length) {
      const grow = (a: Float64Array) => {
        const b = new Float64Array(a.length * 2);
        b.set(a);
        return b;
      };
      this.starts = grow(this.starts);
      this.ends = grow(this.ends);
    }
    this.starts[this.count] = start;
    this.ends[this.count] = end;
    this.count++;
  }
}

async function main(): Promise<void> {
  const { runLength } = job;
  let phase: 'load' | 'input' | 'warmup' | 'measure' = 'load';
  try {
    const t0 = performance.now();
    const session = await createSession(job.modelPath, job.session);
    const sessionCreateMs = performance.now() - t0;
    phase = 'input';
    const { feeds, inputs } = makeFeeds(session, job.batch, 7 + job.index);

    phase = 'warmup';
    const w0 = performance.now();
    await session.run(feeds);
    const firstCallMs = performance.now() - w0;
    let warmupCalls = 1;
    while (warmupCalls < runLength.warmupIterations || performance.now() - w0 < runLength.warmupSeconds * 1000) {
      await session.run(feeds);
      warmupCalls++;
    }

    post({ type: 'ready', index: job.index, sessionCreateMs, firstCallMs, warmupCalls, inputs });
    // Block until every thread is warm: the orchestrator releases all of them at once.
    Atomics.wait(control, 0, GO_WAIT);
    if (Atomics.load(control, 0) === GO_ABANDON) {
      await session.release();
      return;
    }

    phase = 'measure';
    const timeline = new Timeline();
    const abort = new AbortController();
    let stoppedBy: StopReason = 'policy';
    const deadline = epochNow() + runLength.maxSeconds * 1000;
    const bench = new Bench({
      time: runLength.minSeconds * 1000,
      iterations: runLength.minIterations,
      warmup: false,
      throws: true,
      signal: abort.signal,
    });
    let lastProgress = epochNow();
    bench.add('call', async () => {
      const start = epochNow();
      await session.run(feeds);
      const end = epochNow();
      timeline.push(start, end);
      if (end - lastProgress >= PROGRESS_EVERY_MS) {
        lastProgress = end;
        post({ type: 'progress', index: job.index, calls: timeline.count });
      }
      if (end >= deadline) {
        stoppedBy = 'max-duration';
        abort.abort();
      } else if (Atomics.load(control, 1) !== 0) {
        stoppedBy = 'stop-request';
        abort.abort();
      }
    });
    await bench.run();
    await session.release();
    const starts = timeline.starts.slice(0, timeline.count);
    const ends = timeline.ends.slice(0, timeline.count);
    post({ type: 'done', index: job.index, starts, ends, count: timeline.count, stoppedBy }, [starts.buffer, ends.buffer]);
  } catch (err) {
    post({ type: 'error', index: job.index, phase, message: err instanceof Error ? err.message : String(err) });
  }
}

void main();
