/**
 * bench:eval's paired measurements. This machine's speed moves by 10-20% within seconds
 * (infer-only runs of the same row read 140-204 img/s), so whole runs taken one after the other
 * compare two different machines. Here one process alternates short chunks of the dataset
 * between the sides being compared, the order rotating every round, until infer-only and the
 * evaluation have each run `seconds`; a ratio is one side's time over the other's for the same images, so a slow spell
 * falls on both. Each evaluation chunk starts and drains its own pipeline, which only counts
 * against it; a cold chunk is the whole dataset, since it also starts a pool and writes a cache file.
 *   warm: infer-only (tensors preprocessed beforehand) | evaluate() reading the row's cache.
 *   cold: infer-only | evaluate() from an empty cache (decode, fill) | the pool alone | with
 *         `decodeThreads`, a pool of that size alone (the shared-cores bound).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dataset } from '../harness/accuracy/dataset.js';
import type { BatchEngine } from '../harness/accuracy/engine.js';
import { evaluate } from '../harness/accuracy/evaluate.js';
import { storedSpec } from '../harness/accuracy/input-key.js';
import { InferenceWorker } from '../harness/accuracy/ort-engine.js';
import { PrepPool, prepPoolSize } from '../harness/accuracy/prep-pool.js';
import { preprocessImage, tensorLength } from '../harness/accuracy/preprocess.js';
import { percentileSorted } from '../harness/measure/stats.js';
import type { PreprocessSpec } from '../harness/models/registry.js';
import type { OrtEvalSessionConfig, OrtSessionConfig } from '../harness/targets/ort/session.js';

export interface PairedOptions {
  dataset: Dataset;
  modelPath: string;
  session: OrtSessionConfig;
  spec: PreprocessSpec;
  batch: number;
  /** Time each side runs, in total (s). */
  seconds: number;
  /** warm: the row's filled cache. */
  cacheRoot?: string;
  /** cold: also time a pool of this many threads alone. */
  decodeThreads?: number;
  perThread?: number;
}

export interface SideResult {
  rate: number;
  /** CPU seconds of the whole process per image while this side ran. */
  cpuPerImage: number;
}

export interface PairedResult {
  chunks: number;
  imagesPerChunk: number;
  sides: Record<string, SideResult>;
  /** infer-only time over the evaluation's time, for the same images. */
  ratio: number;
  /** Per-chunk ratios' quartiles: how much the machine moved within a round. */
  quartiles: [number, number, number];
}

type Side = (from: number, count: number) => Promise<number>;

/**
 * Rounds of chunks over the sides, rotating their order, until infer-only and `compared` have each
 * run `seconds` (the pools alone, faster, ride along: their rates come from the same rounds).
 */
async function alternate(sides: Record<string, Side>, compared: string, size: number, total: number, seconds: number): Promise<Omit<PairedResult, 'ratio' | 'quartiles'> & { perChunk: Record<string, number>[] }> {
  const names = Object.keys(sides);
  const time = Object.fromEntries(names.map((n) => [n, 0]));
  const cpu = Object.fromEntries(names.map((n) => [n, 0]));
  const perChunk: Record<string, number>[] = [];
  for (let round = 0, from = 0; time.infer! < seconds || time[compared]! < seconds; round++) {
    if (from + size > total) from = 0;
    const row: Record<string, number> = {};
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length]!;
      const c0 = process.cpuUsage();
      row[name] = await sides[name]!(from, size);
      const c = process.cpuUsage(c0);
      time[name]! += row[name]!;
      cpu[name]! += (c.user + c.system) / 1e6;
    }
    perChunk.push(row);
    from += size;
  }
  const images = perChunk.length * size;
  return { chunks: perChunk.length, imagesPerChunk: size, perChunk, sides: Object.fromEntries(names.map((n) => [n, { rate: images / time[n]!, cpuPerImage: cpu[n]! / images }])) };
}

function judged(r: Awaited<ReturnType<typeof alternate>>, side: string): PairedResult {
  const ratios = r.perChunk.map((row) => row.infer! / row[side]!).sort((a, b) => a - b);
  const q = (p: number) => percentileSorted(ratios, p);
  return { chunks: r.chunks, imagesPerChunk: r.imagesPerChunk, sides: r.sides, ratio: r.sides[side]!.rate / r.sides.infer!.rate, quartiles: [q(25), q(50), q(75)] };
}

/** Infer-only over preprocessed tensors through `engine`, like the infer-only child. */
export async function inferOnlySide(o: PairedOptions, engine: BatchEngine): Promise<Side> {
  const per = tensorLength(o.spec);
  const tensors = await Promise.all(o.dataset.items.map((it) => preprocessImage(it.file, o.spec)));
  return async (from, count) => {
    const t0 = performance.now();
    const inflight: Promise<unknown>[] = [];
    for (let i = from; i < from + count; i += o.batch) {
      const n = Math.min(o.batch, from + count - i);
      const data = new Float32Array(n * per);
      for (let j = 0; j < n; j++) data.set(tensors[i + j]!, j * per);
      inflight.push(engine.infer(data, n));
      if (inflight.length >= 2) await inflight.shift();
    }
    await Promise.all(inflight);
    return (performance.now() - t0) / 1000;
  };
}

export const inferenceWorker = (o: PairedOptions, session: OrtEvalSessionConfig) => new InferenceWorker({ modelPath: o.modelPath, session, imageShape: [3, o.spec.crop.height, o.spec.crop.width], dtype: 'float32', batch: o.batch });

/** About `chunkSeconds` of inference in whole batches, from a first pass that also warms up. */
async function chunkSize(infer: Side, o: PairedOptions, chunkSeconds: number): Promise<number> {
  const n = o.dataset.items.length;
  const probe = Math.min(n, Math.max(2 * o.batch, 32));
  const rate = probe / (await infer(0, probe));
  return Math.min(Math.floor(n / o.batch) * o.batch, Math.max(2, Math.round((rate * chunkSeconds) / o.batch)) * o.batch);
}

/** An engine that evaluate() cannot close (it closes its engine when it finishes): one serves every chunk. */
const keptOpen = (w: InferenceWorker, ready: BatchEngine['ready'] = w.ready): BatchEngine => ({ ready, infer: (d, c) => w.infer(d, c), close: async () => undefined });

// Given an engine, evaluate() cannot tell its intra-op threads: the pool is sized here as for the case.
const evalSide = (o: PairedOptions, engine: BatchEngine, root: () => string, expect: string): Side => async (from, count) => {
  const dir = root();
  try {
    const r = await evaluate({ ...o.dataset, items: o.dataset.items.slice(from, from + count) }, { engine, modelPath: o.modelPath, preprocess: o.spec, batch: o.batch, onError: 'stop', cache: { enabled: true, root: dir }, prepThreads: prepPoolSize(o.session.intraOpThreads), ...(o.perThread ? { perThread: o.perThread } : {}) });
    if (r.inputCache.status !== expect) throw new Error(`paired chunk: the input cache was ${r.inputCache.status}, not ${expect}`);
    return r.seconds;
  } finally {
    if (dir !== o.cacheRoot) rmSync(dir, { recursive: true, force: true });
  }
};

export async function pairedWarm(o: PairedOptions): Promise<PairedResult> {
  const w = inferenceWorker(o, o.session);
  const engine = keptOpen(w);
  try {
    await w.ready;
    const infer = await inferOnlySide(o, engine);
    const size = await chunkSize(infer, o, 1);
    const warm = evalSide(o, engine, () => o.cacheRoot!, 'hit');
    await warm(0, size);
    return judged(await alternate({ infer, warm }, 'warm', size, o.dataset.items.length, o.seconds), 'warm');
  } finally {
    await w.close();
  }
}

export async function pairedCold(o: PairedOptions): Promise<PairedResult> {
  // Infer-only with the session as configured; the cold evaluation with its idle threads asleep, as evaluate() does.
  const inferWorker = inferenceWorker(o, o.session);
  const coldWorker = inferenceWorker(o, { ...o.session, spinning: false });
  // Both sessions' threads are inference threads: a cold chunk must not lower the infer-only side's.
  const both = Promise.all([inferWorker.ready, coldWorker.ready]).then(([a, b]) => ({ ...b, threads: [...(a.threads ?? []), ...(b.threads ?? [])] }));
  const engine = keptOpen(coldWorker, both);
  const pools = new Map<number, PrepPool>();
  try {
    await both;
    const infer = await inferOnlySide(o, keptOpen(inferWorker));
    // Each cold chunk starts its own pool and writes its own cache file (150-250 ms here, measured):
    // a chunk is the whole dataset, so that costs a chunk what it costs a cold run.
    await infer(0, Math.min(o.dataset.items.length, 32));
    const size = o.dataset.items.length;
    const poolAlone = (threads: number): Side => async (from, count) => {
      if (!pools.has(threads)) pools.set(threads, new PrepPool(storedSpec(o.spec), threads, o.perThread));
      const pool = pools.get(threads)!;
      const t0 = performance.now();
      const window: Promise<unknown>[] = [];
      for (const it of o.dataset.items.slice(from, from + count)) {
        window.push(pool.prepare(it.file));
        if (window.length >= 4 * threads) await window.shift();
      }
      await Promise.all(window);
      return (performance.now() - t0) / 1000;
    };
    const cold = evalSide(o, engine, () => mkdtempSync(join(tmpdir(), 'infergate-paired-cold-')), 'filled');
    const pool = prepPoolSize(o.session.intraOpThreads);
    const sides: Record<string, Side> = { infer, cold, decode: poolAlone(pool) };
    if (o.decodeThreads && o.decodeThreads !== pool) sides.decodeAll = poolAlone(o.decodeThreads);
    // The pools alone start before the rounds: their start is not the decode rate.
    for (const side of [sides.decode!, sides.decodeAll].filter((x) => x !== undefined)) await side(0, 8);
    return judged(await alternate(sides, 'cold', size, o.dataset.items.length, o.seconds), 'cold');
  } finally {
    for (const p of pools.values()) await p.close();
    await Promise.all([inferWorker.close(), coldWorker.close()]);
  }
}
