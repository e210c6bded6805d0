/**
 * Top-1/top-5 of one artifact on a dataset, batched to the case's batch size. Decoding and
 * preprocessing (sharp, libvips threads) run ahead of inference (a worker thread) through a
 * bounded window, so memory stays flat however many images there are. Per-image top-5
 * predictions are streamed to a JSONL file for later paired comparisons.
 */
import { Worker } from 'node:worker_threads';
import { InfraError, UserError } from '../errors.js';
import { AtomicStream } from '../util/files.js';
import type { PreprocessSpec } from '../models/registry.js';
import type { Proportion } from '../core/index.js';
import { wilsonInterval } from '../significance/index.js';
import type { OrtSessionConfig } from '../targets/ort/session.js';
import type { Dataset, DatasetItem } from './dataset.js';
import type { InferJob, InferReply, InferRequest } from './ort-infer-thread.js';
import { ImageError, preprocessImage, tensorLength } from './preprocess.js';
import { CollapseWatch } from './sanity.js';

export interface AccuracyResult {
  n: number;
  top1: Proportion;
  top5: Proportion;
  /** Images that could not be read (onError: skip), with why. */
  skipped: { file: string; reason: string }[];
  seconds: number;
  imagesPerSecond: number;
  /** Run-time checks that did not stop the evaluation (a collapsed class histogram). */
  warnings: string[];
}

/** What runs the batches: the onnxruntime worker by default, or a native backend (native-infer.ts). */
export interface BatchEngine {
  readonly ready: Promise<{ fixedBatch?: number }>;
  infer(data: Float32Array | Uint8Array, count: number): Promise<{ top5: Int32Array; scores: Float32Array }>;
  close(): Promise<void>;
}

export interface EvaluateOptions {
  modelPath: string;
  /** onnxruntime session options; unused when `engine` is given. */
  session?: OrtSessionConfig;
  engine?: BatchEngine;
  preprocess: PreprocessSpec;
  batch: number;
  onError: 'stop' | 'skip';
  /** JSONL file, one line per image: {image, label, top5, scores}. */
  predictionsFile?: string;
  progress?: (done: number, total: number, imagesPerSecond: number) => void;
  /** Images decoded ahead of inference (bounded: memory stays flat). */
  lookahead?: number;
  signal?: AbortSignal;
}

export function proportion(correct: number, n: number): Proportion {
  return { correct, value: n ? correct / n : 0, ci95: wilsonInterval(correct, n) };
}

type Prepared = { item: DatasetItem; data?: Float32Array | Uint8Array; error?: string };

export class InferenceWorker implements BatchEngine {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (r: { top5: Int32Array; scores: Float32Array }) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure?: Error;
  readonly ready: Promise<{ fixedBatch?: number }>;

  constructor(job: InferJob) {
    this.worker = new Worker(new URL('./ort-infer-thread.js', import.meta.url), { workerData: job });
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (m: InferReply) => {
        if (m.type === 'ready') resolve({ fixedBatch: m.fixedBatch });
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

  infer(data: Float32Array | Uint8Array, count: number): Promise<{ top5: Int32Array; scores: Float32Array }> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    const p = new Promise<{ top5: Int32Array; scores: Float32Array }>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    const msg: InferRequest = { type: 'batch', id, count, data };
    this.worker.postMessage(msg, [data.buffer as ArrayBuffer]);
    return p;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

export async function evaluate(dataset: Dataset, opts: EvaluateOptions): Promise<AccuracyResult> {
  const spec = opts.preprocess;
  const perImage = tensorLength(spec);
  const imageShape = spec.output === 'nv12' ? [perImage] : spec.layout === 'NCHW' ? [3, spec.crop.height, spec.crop.width] : [spec.crop.height, spec.crop.width, 3];
  const dtype = spec.output === 'nv12' ? 'uint8' : spec.dtype;
  if (!opts.engine && !opts.session) throw new Error('evaluate: give an onnxruntime session config or an engine');
  const worker: BatchEngine = opts.engine ?? new InferenceWorker({ modelPath: opts.modelPath, session: opts.session!, imageShape, dtype, batch: opts.batch });
  const collapse = new CollapseWatch();
  const items = dataset.items;
  const lookahead = Math.max(opts.lookahead ?? 16, opts.batch * 2);
  const skipped: AccuracyResult['skipped'] = [];
  let top1 = 0;
  let top5 = 0;
  let n = 0;

  const out = opts.predictionsFile ? new AtomicStream(opts.predictionsFile) : undefined;
  const write = async (line: string) => out?.write(line);

  const prepare = (item: DatasetItem): Promise<Prepared> =>
    preprocessImage(item.file, spec).then(
      (data) => ({ item, data }),
      (err) => ({ item, error: err instanceof ImageError ? err.message : String(err) }),
    );

  const t0 = performance.now();
  try {
    const { fixedBatch } = await worker.ready;
    if (fixedBatch && fixedBatch !== opts.batch) {
      throw new UserError(`the model's input has a fixed batch of ${fixedBatch}; evaluate it with batch ${fixedBatch}`);
    }
    const window: Promise<Prepared>[] = [];
    let started = 0;
    const fill = () => {
      while (started < items.length && window.length < lookahead) window.push(prepare(items[started++]!));
    };
    fill();
    const inflight: Promise<void>[] = [];
    while (window.length) {
      if (opts.signal?.aborted) throw new InfraError('evaluation interrupted');
      // Collect the next batch of successfully prepared images, in dataset order.
      const batchItems: DatasetItem[] = [];
      const buffer = dtype === 'float32' ? new Float32Array(opts.batch * perImage) : new Uint8Array(opts.batch * perImage);
      while (batchItems.length < opts.batch && window.length) {
        const p = await window.shift()!;
        fill();
        if (p.error !== undefined) {
          if (opts.onError === 'stop') throw new UserError(`dataset image ${p.item.file}: ${p.error} (set dataset.onError: skip to count and skip such files)`);
          skipped.push({ file: p.item.file, reason: p.error });
          continue;
        }
        buffer.set(p.data!, batchItems.length * perImage);
        batchItems.push(p.item);
      }
      if (!batchItems.length) break;
      const count = batchItems.length;
      const data = count === opts.batch ? buffer : buffer.slice(0, count * perImage);
      const job = worker.infer(data, count).then(async ({ top5: idx, scores }) => {
        for (let i = 0; i < count; i++) {
          const it = batchItems[i]!;
          const preds = Array.from(idx.subarray(i * 5, i * 5 + 5));
          n++;
          collapse.add(preds[0]!);
          if (preds[0] === it.label) top1++;
          if (preds.includes(it.label)) top5++;
          await write(JSON.stringify({ image: it.name, label: it.label, top5: preds, scores: Array.from(scores.subarray(i * 5, i * 5 + 5), (s) => Number(s.toPrecision(6))) }) + '\n');
        }
        opts.progress?.(n + skipped.length, items.length, n / ((performance.now() - t0) / 1000));
      });
      // Awaited below; until then a failure must not surface as an unhandled rejection.
      job.catch(() => undefined);
      inflight.push(job);
      // Two batches in flight keep the inference thread busy while bounding memory.
      if (inflight.length >= 2) await inflight.shift();
    }
    await Promise.all(inflight);
    await out?.commit();
  } catch (err) {
    await out?.abort();
    throw err;
  } finally {
    await worker.close();
  }
  const seconds = (performance.now() - t0) / 1000;
  const warnings = [collapse.warning()].filter((w): w is string => w !== undefined);
  return { n, top1: proportion(top1, n), top5: proportion(top5, n), skipped, seconds, imagesPerSecond: n / seconds, warnings };
}
