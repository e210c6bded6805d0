/**
 * The inference side of evaluation for the `ort` backend: one session (created exactly like the
 * measuring threads'), batches in, top-5 class indices and scores out. Runs in a worker so that
 * decoding on the main thread and inference proceed in parallel.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { createSession, type OrtEvalSessionConfig } from '../targets/ort/session.js';
import { currentThreadId, threadIds } from '../util/thread-priority.js';
import type { BatchResult } from './engine.js';
import { firstBatchProblem } from './sanity.js';
import { topK } from './topk.js';

export interface InferJob {
  modelPath: string;
  session: OrtEvalSessionConfig;
  /** Per-image input shape without the batch axis, e.g. [3, 224, 224]. */
  imageShape: number[];
  dtype: 'float32' | 'uint8';
  batch: number;
}

export type InferRequest = { type: 'batch'; id: number; count: number; data: Float32Array | Uint8Array } | { type: 'close' };
export type InferReply =
  | { type: 'ready'; inputName: string; outputName: string; fixedBatch?: number; threads: number[] }
  | ({ type: 'result'; id: number } & Required<BatchResult>)
  | { type: 'error'; phase: 'load' | 'infer'; message: string };

const job = workerData as InferJob;
const post = (m: InferReply, transfer: ArrayBuffer[] = []) => parentPort!.postMessage(m, transfer);

async function main(): Promise<void> {
  let session: ort.InferenceSession;
  // The threads that infer: this one and those the session starts (onnxruntime's intra-op pool).
  const before = new Set(threadIds());
  let threads: number[];
  try {
    session = await createSession(job.modelPath, job.session);
    threads = [currentThreadId(), ...threadIds().filter((id) => !before.has(id))].filter((id): id is number => id !== undefined);
  } catch (err) {
    post({ type: 'error', phase: 'load', message: (err as Error).message });
    return;
  }
  // One image tensor in: a model with more inputs cannot be fed by the accuracy path.
  if (session.inputNames.length !== 1) {
    post({ type: 'error', phase: 'load', message: `the model has ${session.inputNames.length} inputs (${session.inputNames.join(', ')}); accuracy feeds one image tensor, so score a classifier with a single input` });
    await session.release();
    return;
  }
  const meta = session.inputMetadata[0]!;
  const inputName = session.inputNames[0]!;
  const outputName = session.outputNames[0]!;
  const first = meta.isTensor ? meta.shape[0] : undefined;
  const fixedBatch = typeof first === 'number' && first > 0 ? first : undefined;
  // The model's input must be what the preprocessing produces; say so before any image is read.
  const declared = meta.isTensor ? meta.shape.slice(1) : [];
  const contradicts =
    declared.length !== job.imageShape.length || declared.some((d, i) => typeof d === 'number' && d > 0 && d !== job.imageShape[i]);
  if (contradicts || (meta.isTensor && meta.type !== job.dtype)) {
    const shape = meta.isTensor ? `[${meta.shape.join(', ')}] ${meta.type}` : 'not a tensor';
    post({
      type: 'error',
      phase: 'load',
      message: `model input '${inputName}' is ${shape}, but the preprocessing produces [batch, ${job.imageShape.join(', ')}] ${job.dtype}; set dataset.preprocess (resize, crop, layout, dtype) to match the model`,
    });
    await session.release();
    return;
  }
  post({ type: 'ready', inputName, outputName, fixedBatch, threads });
  const perImage = job.imageShape.reduce((a, b) => a * b, 1);

  parentPort!.on('message', async (m: InferRequest) => {
    if (m.type === 'close') {
      await session.release();
      process.exit(0);
    }
    try {
      // A fixed-batch model gets its last, short batch padded; padded rows are dropped below.
      const rows = fixedBatch ?? m.count;
      let data = m.data;
      if (rows !== m.count) {
        const padded = job.dtype === 'float32' ? new Float32Array(rows * perImage) : new Uint8Array(rows * perImage);
        padded.set(data);
        data = padded;
      }
      const feeds = { [inputName]: new ort.Tensor(job.dtype, data, [rows, ...job.imageShape]) };
      const out = await session.run(feeds);
      const logits = out[outputName]!;
      const classes = logits.dims[logits.dims.length - 1]!;
      if (m.id === 0) {
        const problem = firstBatchProblem(logits.data as Float32Array, m.count, classes);
        if (problem) {
          post({ type: 'error', phase: 'infer', message: problem });
          return;
        }
      }
      const { index, score } = topK(logits.data as Float32Array, m.count, classes, 5);
      // The batch's buffer goes back with the answer, so the feeder refills it instead of allocating.
      post({ type: 'result', id: m.id, top5: index, scores: score, input: m.data }, [index.buffer as ArrayBuffer, score.buffer as ArrayBuffer, m.data.buffer as ArrayBuffer]);
    } catch (err) {
      post({ type: 'error', phase: 'infer', message: (err as Error).message });
    }
  });
}

if (parentPort && workerData) void main();
