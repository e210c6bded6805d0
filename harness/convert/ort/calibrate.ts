/**
 * Calibration: run the float model over the calibration images with the tensors to quantise
 * added as graph outputs, and reduce what they hold to one range per tensor. MinMax keeps the
 * extremes; percentile drops the rarest values at both ends (a second pass over the images
 * fills a histogram between the extremes of the first).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { preprocessImage } from '../../accuracy/preprocess.js';
import { UserError } from '../../errors.js';
import { onnx, type GraphProto } from '../../models/onnx.js';
import type { PreprocessSpec } from '../../models/registry.js';
import { type Graph } from './graph.js';
import { FLOAT } from './tensors.js';
import type { TensorRange } from './qdq.js';

export type CalibrationMethod = 'minmax' | 'percentile';

export interface CalibrateOptions {
  method: CalibrationMethod;
  /** For percentile: the share of values kept, e.g. 99.999 keeps all but 1 in 100,000 (split between the two tails). */
  percentile: number;
  /** Histogram bins for percentile. */
  bins?: number;
}

/** A copy of the model whose outputs are the given tensors (after its own). */
function withOutputs(graph: Graph, names: string[]): Uint8Array {
  const copy = onnx.ModelProto.decode(onnx.ModelProto.encode(graph.model).finish());
  const g = copy.graph as GraphProto;
  const known = new Set(g.output.map((o) => o.name));
  for (const name of names) {
    if (known.has(name)) continue;
    g.output.push(onnx.ValueInfoProto.fromObject({ name, type: { tensorType: { elemType: FLOAT } } }));
  }
  return onnx.ModelProto.encode(copy).finish();
}

/** One feed per calibration image, preprocessed as accuracy would (batch 1). */
export function imageFeeds(images: string[], spec: PreprocessSpec): Feeds {
  return async function* (inputName: string) {
    for (const file of images) {
      let tensor: Float32Array | Uint8Array;
      try {
        tensor = await preprocessImage(file, spec);
      } catch (err) {
        throw new UserError(`calibration image ${file}: ${(err as Error).message}`);
      }
      const { height, width } = spec.crop;
      const shape = spec.layout === 'NHWC' ? [1, height, width, 3] : [1, 3, height, width];
      yield { [inputName]: new ort.Tensor(spec.dtype === 'uint8' ? 'uint8' : 'float32', tensor, shape) };
    }
  };
}

/** The calibration inputs, produced afresh for each pass (given the model's input name). */
export type Feeds = (inputName: string) => AsyncIterable<Record<string, ort.Tensor>>;

async function forEachOutput(session: ort.InferenceSession, feeds: Feeds, names: string[], visit: (name: string, data: Float32Array) => void): Promise<void> {
  for await (const feed of feeds(session.inputNames[0]!)) {
    const out = await session.run(feed, names);
    for (const name of names) visit(name, out[name]!.data as Float32Array);
  }
}

export async function calibrate(graph: Graph, tensors: string[], feeds: Feeds, opts: CalibrateOptions): Promise<Map<string, TensorRange>> {
  const dir = mkdtempSync(join(tmpdir(), 'infergate-calibrate-'));
  try {
    const file = join(dir, 'calibration.onnx');
    writeFileSync(file, withOutputs(graph, tensors));
    ort.env.logLevel = 'error';
    // Optimisations off: they would fuse away the tensors being observed.
    const session = await ort.InferenceSession.create(file, { executionProviders: ['cpu'], graphOptimizationLevel: 'disabled', logSeverityLevel: 3 });
    const ranges = new Map<string, TensorRange>(tensors.map((t) => [t, { min: Infinity, max: -Infinity }]));
    await forEachOutput(session, feeds, tensors, (name, data) => {
      const r = ranges.get(name)!;
      for (let i = 0; i < data.length; i++) {
        const v = data[i]!;
        if (v < r.min) r.min = v;
        if (v > r.max) r.max = v;
      }
    });
    if (opts.method === 'percentile') {
      const bins = opts.bins ?? 2048;
      const hist = new Map(tensors.map((t) => [t, new Float64Array(bins)]));
      await forEachOutput(session, feeds, tensors, (name, data) => {
        const { min, max } = ranges.get(name)!;
        const h = hist.get(name)!;
        const width = (max - min) / bins || 1;
        for (let i = 0; i < data.length; i++) h[Math.min(bins - 1, Math.floor((data[i]! - min) / width))]!++;
      });
      for (const t of tensors) ranges.set(t, percentileRange(hist.get(t)!, ranges.get(t)!, opts.percentile));
    }
    await session.release();
    return ranges;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The range between the lower and upper (100 - p) / 2 % tails of a histogram over [min, max]. */
export function percentileRange(hist: Float64Array, extremes: TensorRange, p: number): TensorRange {
  const total = hist.reduce((a, b) => a + b, 0);
  const tail = (total * (100 - p)) / 100 / 2;
  const width = (extremes.max - extremes.min) / hist.length;
  let lo = 0;
  for (let acc = 0; lo < hist.length - 1 && acc + hist[lo]! <= tail; lo++) acc += hist[lo]!;
  let hi = hist.length - 1;
  for (let acc = 0; hi > 0 && acc + hist[hi]! <= tail; hi--) acc += hist[hi]!;
  return { min: extremes.min + lo * width, max: extremes.min + (hi + 1) * width };
}
