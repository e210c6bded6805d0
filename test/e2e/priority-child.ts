/**
 * A process of its own for test/e2e/thread-priority.test.ts: scores 48 images cold with one
 * intra-op thread and, at every batch, reads the nice value of the inference threads, of the
 * main thread and of every other thread. Arguments: a JSON object {dedicated, prepThreads?}.
 * Prints one JSON line: {lowered, batches: [{inference, main, others}]}.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset } from '../../harness/accuracy/dataset.js';
import type { BatchEngine } from '../../harness/accuracy/engine.js';
import { evaluate } from '../../harness/accuracy/evaluate.js';
import { InferenceWorker } from '../../harness/accuracy/ort-engine.js';
import { IMAGENET_FLOAT_PREPROCESS } from '../../harness/models/registry.js';
import { markProcessDedicated, threadIds } from '../../harness/util/thread-priority.js';
import { SHARED_ASSETS } from '../helpers.js';

const args = JSON.parse(process.argv[2] ?? '{}') as { dedicated: boolean; prepThreads?: number };
if (args.dedicated) markProcessDedicated();

/** Field 19 of /proc/self/task/ID/stat, counted after the parenthesised name. */
const niceOf = (id: number) => {
  const stat = readFileSync(`/proc/self/task/${id}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
};

const spec = IMAGENET_FLOAT_PREPROCESS;
const model = join(SHARED_ASSETS, 'models', 'mobilenetv2-int8-qdq.onnx');
const session = { intraOpThreads: 1, interOpThreads: 1, graphOptimizationLevel: 'all' as const, executionMode: 'sequential' as const };
const inner = new InferenceWorker({ modelPath: model, session, imageShape: [3, spec.crop.height, spec.crop.width], dtype: 'float32', batch: 4 });
const batches: { inference: number[]; main: number; others: number[] }[] = [];
// The worker, seen from outside at every batch: what evaluate() left each thread at.
const engine: BatchEngine = {
  ready: inner.ready,
  async infer(data, count) {
    const inference = (await inner.ready).threads ?? [];
    const others = threadIds().filter((id) => id !== process.pid && !inference.includes(id));
    const nice = (id: number) => {
      try {
        return niceOf(id);
      } catch {
        return NaN; // ended meanwhile
      }
    };
    batches.push({ inference: inference.map(nice), main: nice(process.pid), others: others.map(nice).filter(Number.isFinite) });
    return inner.infer(data, count);
  },
  close: () => inner.close(),
};
const dataset = loadDataset({ images: join(SHARED_ASSETS, 'imagenet', 'val-1300-227'), labels: join(SHARED_ASSETS, 'imagenet', 'val.txt'), classes: 1000, select: { first: 48 }, onError: 'stop' }, '/');
const r = await evaluate(dataset, { modelPath: model, engine, preprocess: spec, batch: 4, onError: 'stop', ...(args.prepThreads ? { prepThreads: args.prepThreads } : {}) });
console.log(JSON.stringify({ lowered: r.pipeline.loweredThreads, n: r.n, batches }));
