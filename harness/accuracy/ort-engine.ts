/**
 * The onnxruntime side of evaluation: an inference worker thread (ort-infer-thread.ts) with one
 * session created like the measuring threads' (the same artifact and options; a cold evaluation
 * only lets onnxruntime's idle threads sleep), fed batches by transfer.
 */
import { Worker } from 'node:worker_threads';
import { InfraError, UserError } from '../errors.js';
import type { BatchEngine, BatchResult, EngineReady } from './engine.js';
import type { InferJob, InferReply, InferRequest } from './ort-infer-thread.js';

export class InferenceWorker implements BatchEngine {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: BatchResult) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure?: Error;
  readonly ready: Promise<EngineReady>;

  constructor(job: InferJob) {
    this.worker = new Worker(new URL('./ort-infer-thread.js', import.meta.url), { workerData: job });
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (m: InferReply) => {
        if (m.type === 'ready') resolve({ fixedBatch: m.fixedBatch, threads: m.threads });
        else if (m.type === 'result') {
          this.pending.get(m.id)?.resolve(m);
          this.pending.delete(m.id);
        } else {
          const err = m.phase === 'load' ? new UserError(`cannot load the model ${job.modelPath} for evaluation: ${m.message}`) : new InfraError(`inference failed during evaluation: ${m.message}`);
          this.fail(err);
          reject(err);
        }
      });
      this.worker.on('error', (e) => {
        const err = new InfraError(`evaluation thread crashed: ${e.message}`);
        this.fail(err);
        reject(err);
      });
    });
  }

  private fail(err: Error): void {
    this.failure = err;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  infer(data: Float32Array | Uint8Array, count: number): Promise<BatchResult> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const p = new Promise<BatchResult>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    const msg: InferRequest = { type: 'batch', id, count, data };
    this.worker.postMessage(msg, [data.buffer as ArrayBuffer]);
    return p;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}
