/**
 * The preprocessing pool: worker threads (prep-thread.ts) that decode and crop images while
 * inference runs. It is sized to the cores the measuring (inference) threads leave free, at
 * least one, and each thread works on at most `perThread` images at a time (default one), so the
 * pool never holds more than size x perThread decoded images beyond what the caller keeps. One,
 * because sharp decodes on libuv's process-wide threadpool, not on the worker thread: a second
 * image in flight is a second core decoding, and a one-thread pool measured 221 img/s decoding
 * with two in flight against 129 img/s with one (bench:eval --per-thread), the difference taken
 * from the inference threads the pool was sized to leave alone.
 */
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { InfraError } from '../errors.js';
import type { PreprocessSpec } from '../models/registry.js';
import type { PrepJob, PrepReply, PrepRequest } from './prep-thread.js';

export interface Prepared {
  data?: Uint8Array;
  error?: string;
}

/** Threads for preprocessing: the cores inference leaves free, at least one. */
export function prepPoolSize(inferenceThreads: number, cores = os.availableParallelism?.() ?? os.cpus().length): number {
  return Math.max(1, cores - Math.max(0, inferenceThreads));
}

/** Whether inference and the pool together want more threads than there are cores (decoding then takes inference's cores). */
export function sharesCores(inferenceThreads: number, poolThreads: number, cores = os.availableParallelism?.() ?? os.cpus().length): boolean {
  return inferenceThreads + poolThreads > cores;
}

interface Slot {
  worker: Worker;
  busy: number;
}

export class PrepPool {
  private readonly slots: Slot[];
  private readonly pending = new Map<number, { resolve: (p: Prepared) => void; reject: (e: Error) => void; slot: Slot }>();
  private readonly queue: { req: PrepRequest; resolve: (p: Prepared) => void; reject: (e: Error) => void }[] = [];
  private nextId = 0;
  private failure?: Error;

  /** `spec` is the stored (uint8) spec: input-key.ts storedSpec. */
  constructor(
    spec: PreprocessSpec,
    readonly size: number,
    private readonly perThread = 1,
  ) {
    const job: PrepJob = { spec };
    this.slots = Array.from({ length: size }, () => {
      const slot: Slot = { worker: new Worker(new URL('./prep-thread.js', import.meta.url), { workerData: job }), busy: 0 };
      slot.worker.on('message', (m: PrepReply) => this.done(slot, m));
      slot.worker.on('error', (e) => this.fail(new InfraError(`a preprocessing thread crashed: ${e.message}`)));
      return slot;
    });
  }

  /** Decodes and lays out one image. */
  prepare(file: string): Promise<Prepared> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.queue.push({ req: { id: this.nextId++, file }, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length) {
      const slot = this.slots.reduce((a, b) => (b.busy < a.busy ? b : a));
      if (slot.busy >= this.perThread) return;
      const { req, resolve, reject } = this.queue.shift()!;
      slot.busy++;
      this.pending.set(req.id, { resolve, reject, slot });
      slot.worker.postMessage(req);
    }
  }

  private done(slot: Slot, m: PrepReply): void {
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    slot.busy--;
    p.resolve({ data: m.data, error: m.error });
    this.pump();
  }

  private fail(err: Error): void {
    this.failure ??= err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
    for (const q of this.queue.splice(0)) q.reject(err);
  }

  async close(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
