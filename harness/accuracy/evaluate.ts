/**
 * Top-1/top-5 of one artifact on a dataset, batched to the case's batch size. Each image's
 * uint8 bytes (after resize, crop, colour order and layout, or NV12) come from the
 * preprocessed-input cache or from a pool of preprocessing threads sized to the cores inference
 * leaves free (input-source.ts, prep-pool.ts), a bounded number of images ahead of the batch
 * being fed; normalisation happens as a batch is assembled (feed.ts), and two batches are in
 * flight at the inference engine. Memory is bounded whatever the dataset's size (README:
 * Accuracy). Per-image top-5 predictions are streamed to a JSONL file for paired comparisons.
 */
import { InfraError, UserError } from '../errors.js';
import { AtomicStream } from '../util/files.js';
import { processIsDedicated, ThreadPriorityFloor } from '../util/thread-priority.js';
import type { PreprocessSpec } from '../models/registry.js';
import type { Proportion } from '../core/index.js';
import { wilsonInterval } from '../significance/index.js';
import type { OrtSessionConfig } from '../targets/ort/session.js';
import type { Dataset, DatasetItem } from './dataset.js';
import { describeRule } from './encoding.js';
import type { BatchEngine } from './engine.js';
import { feeder } from './feed.js';
import { InputSource, type CacheSettings, type InputCacheSummary } from './input-source.js';
import { InferenceWorker } from './ort-engine.js';
import { prepPoolSize, sharesCores, type Prepared } from './prep-pool.js';
import { tensorLength } from './preprocess.js';
import { CollapseWatch } from './sanity.js';

export type { BatchEngine } from './engine.js';

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
  inputCache: InputCacheSummary;
  /** loweredThreads: threads that decode, lowered below inference (see util/thread-priority.ts). */
  pipeline: { prepThreads: number; lookahead: number; loweredThreads?: number };
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
  /** The preprocessed-input cache; off unless asked (a suite's dataset.cache, default on). */
  cache?: CacheSettings;
  /** Preprocessing threads (default: the cores the inference threads leave free, at least one). */
  prepThreads?: number;
  /** Images each preprocessing thread decodes at once (default 1: see prep-pool.ts). */
  perThread?: number;
  /** Images prepared ahead of the batch being fed (default: max(2 x batch, 2 x threads x perThread)). */
  lookahead?: number;
  /** The encoding rule in words, kept in the cache's index. */
  rule?: string;
  signal?: AbortSignal;
}

export function proportion(correct: number, n: number): Proportion {
  return { correct, value: n ? correct / n : 0, ci95: wilsonInterval(correct, n) };
}

/** Batches prepared ahead of the one being fed. */
export const PREFETCH_BATCHES = 2;

export async function evaluate(dataset: Dataset, opts: EvaluateOptions): Promise<AccuracyResult> {
  const spec = opts.preprocess;
  const perImage = tensorLength(spec);
  const imageShape = spec.output === 'nv12' ? [perImage] : spec.layout === 'NCHW' ? [3, spec.crop.height, spec.crop.width] : [spec.crop.height, spec.crop.width, 3];
  const dtype = spec.output === 'nv12' ? 'uint8' : spec.dtype;
  if (!opts.engine && !opts.session) throw new Error('evaluate: give an onnxruntime session config or an engine');
  const items = dataset.items;
  const inferenceThreads = opts.engine ? 1 : opts.session!.intraOpThreads;
  const prepThreads = opts.prepThreads ?? prepPoolSize(inferenceThreads);
  const perThread = opts.perThread ?? 1;
  const lookahead = opts.lookahead ?? Math.max(PREFETCH_BATCHES * opts.batch, 2 * prepThreads * perThread);
  const source = await InputSource.open({ items, imagesDir: dataset.imagesDir, spec, rule: opts.rule ?? describeRule(spec), cache: opts.cache ?? { enabled: false }, poolSize: prepThreads, perThread });
  // While images are decoded on the same cores, onnxruntime's idle threads spinning between ops
  // take CPU the decoders need: a cold evaluation lets them sleep (the scores do not depend on it).
  const session = source.decodes && opts.session ? { ...opts.session, spinning: false } : opts.session!;
  const worker: BatchEngine = opts.engine ?? new InferenceWorker({ modelPath: opts.modelPath, session, imageShape, dtype, batch: opts.batch });
  const feed = feeder(spec);
  const collapse = new CollapseWatch();
  const skipped: AccuracyResult['skipped'] = [];
  let top1 = 0;
  let top5 = 0;
  let n = 0;
  let ok = false;
  let inputCache: InputCacheSummary | undefined;
  let floor: ThreadPriorityFloor | undefined;

  const out = opts.predictionsFile ? new AtomicStream(opts.predictionsFile) : undefined;
  const write = async (line: string) => out?.write(line);

  let t0 = performance.now();
  try {
    const { fixedBatch, threads } = await worker.ready;
    if (fixedBatch && fixedBatch !== opts.batch) {
      throw new UserError(`the model's input has a fixed batch of ${fixedBatch}; evaluate it with batch ${fixedBatch}`);
    }
    // img/s counts from here: loading the model is not scoring (inference-only rates exclude it too).
    t0 = performance.now();
    // Where the pool was sized to the cores inference leaves free, decoding still steals from
    // inference (libuv's and libvips' threads, the feeding): the decoding threads go below it.
    // Not where inference uses every core: there decoding is the slower stage, and lowering it
    // starved the pipeline (2 cores, b16, 2 intra-op threads: 64-71 img/s against 82-96).
    floor = source.decodes && !sharesCores(inferenceThreads, prepThreads) && threads?.length && processIsDedicated() ? new ThreadPriorityFloor(threads) : undefined;
    let fedCount = 0;
    const window: Promise<Prepared & { i: number }>[] = [];
    let started = 0;
    const fill = () => {
      while (started < items.length && window.length < lookahead) {
        const i = started++;
        const p = source.get(i).then((r) => ({ ...r, i }));
        p.catch(() => undefined); // awaited in order below
        window.push(p);
      }
    };
    fill();
    const inflight: Promise<void>[] = [];
    // Batch buffers handed back by the engine, refilled instead of allocating one per batch.
    const spare: (Float32Array | Uint8Array)[] = [];
    while (window.length) {
      if (opts.signal?.aborted) throw new InfraError('evaluation interrupted');
      // Collect the next batch of successfully prepared images, in dataset order.
      const batchItems: DatasetItem[] = [];
      const buffer = spare.pop() ?? (dtype === 'float32' ? new Float32Array(opts.batch * perImage) : new Uint8Array(opts.batch * perImage));
      while (batchItems.length < opts.batch && window.length) {
        const p = await window.shift()!;
        fill();
        const item = items[p.i]!;
        if (p.error !== undefined) {
          if (opts.onError === 'stop') throw new UserError(`dataset image ${item.file}: ${p.error} (set dataset.onError: skip to count and skip such files)`);
          skipped.push({ file: item.file, reason: p.error });
          continue;
        }
        // The first image has started libvips' threads; later checks catch any it adds.
        if (floor && fedCount++ % 64 === 0) floor.lowerNew();
        feed(buffer, batchItems.length * perImage, p.data!);
        source.fed(p.i, p.data!);
        batchItems.push(item);
      }
      if (!batchItems.length) break;
      const count = batchItems.length;
      const data = count === opts.batch ? buffer : buffer.slice(0, count * perImage);
      const job = worker.infer(data, count).then(async ({ top5: idx, scores, input }) => {
        if (input?.length === opts.batch * perImage) spare.push(input);
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
    ok = true;
  } catch (err) {
    await out?.abort();
    throw err;
  } finally {
    await worker.close();
    // Only a finished evaluation writes the cache.
    inputCache = await source.finish(ok);
  }
  const seconds = (performance.now() - t0) / 1000;
  const warnings = [collapse.warning(), ...(inputCache!.warnings ?? [])].filter((w): w is string => w !== undefined);
  return { n, top1: proportion(top1, n), top5: proportion(top5, n), skipped, seconds, imagesPerSecond: n / seconds, warnings, inputCache: inputCache!, pipeline: { prepThreads, lookahead, ...(floor ? { loweredThreads: floor.lowered } : {}) } };
}
