/**
 * npm run bench:overhead — does the harness cost throughput? In one run, the same model and
 * config is measured by infergate (measureOrt: tinybench loop, per-call timestamps, barrier) and
 * by a bare onnxruntime-node worker loop; prints harness_qps / bare_qps. Goal: >= 0.99.
 *
 * Runs alternate (harness, bare, harness, bare, ...) and the medians are compared, so slow drift
 * of the machine does not favour either side.
 */
import { Worker } from 'node:worker_threads';
import { measureOrt } from '../harness/measure/measure.js';
import { ensureSynthetic, resolveModel } from '../harness/models/resolve.js';
import { numberOption } from './bench-args.js';

const SECONDS = numberOption('seconds', 5);
const REPEATS = numberOption('repeats', 3);
const WARMUP = 3;
const MIN_ITERATIONS = 5;

interface Config {
  model: 'resnet18-v1-7' | 'resnet50-v1-7';
  batch: number;
  workers: number;
  intra: number;
}

async function bare(modelPath: string, c: Config): Promise<number> {
  const go = new SharedArrayBuffer(4);
  const flag = new Int32Array(go);
  const workers = Array.from({ length: c.workers }, () =>
    new Worker(new URL('./bare-ort-worker.js', import.meta.url), {
      workerData: { modelPath, inputName: 'data', shape: [c.batch, 3, 224, 224], intraOpNumThreads: c.intra, warmupIterations: WARMUP, seconds: SECONDS, minIterations: MIN_ITERATIONS, go },
    }),
  );
  let ready = 0;
  const results = await Promise.all(
    workers.map(
      (w) =>
        new Promise<{ calls: number; start: number; end: number }>((resolve, reject) => {
          w.on('error', reject);
          w.on('message', (m) => {
            if (m.type === 'ready' && ++ready === c.workers) {
              Atomics.store(flag, 0, 1);
              Atomics.notify(flag, 0);
            } else if (m.type === 'done') resolve(m);
          });
        }),
    ),
  );
  await Promise.all(workers.map((w) => w.terminate()));
  const calls = results.reduce((n, r) => n + r.calls, 0);
  const wall = (Math.max(...results.map((r) => r.end)) - Math.min(...results.map((r) => r.start))) / 1000;
  return (calls * c.batch) / wall;
}

async function harness(modelPath: string, c: Config): Promise<number> {
  const m = await measureOrt({
    modelPath,
    batch: c.batch,
    threads: c.workers,
    session: { intraOpThreads: c.intra, interOpThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' },
    runLength: { warmupSeconds: 0, warmupIterations: WARMUP, minSeconds: SECONDS, minIterations: MIN_ITERATIONS, maxSeconds: SECONDS * 10 },
  });
  return m.throughput.qps;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const configs: Config[] = [];
for (const model of ['resnet18-v1-7', 'resnet50-v1-7'] as const) {
  for (const batch of [1, 8]) {
    configs.push({ model, batch, workers: 1, intra: 2 });
    configs.push({ model, batch, workers: 2, intra: 1 });
  }
}

console.log(`bench:overhead: ${SECONDS} s per measurement, ${REPEATS} alternating repeats, medians compared`);
console.log('model           weights    batch  workers x intra   harness qps   bare qps   ratio');
const ratios: number[] = [];
for (const c of configs) {
  const resolved = await resolveModel({ ref: c.model, name: c.model, weights: 'auto' }, process.cwd());
  const path = resolved.path ?? ensureSynthetic(c.model === 'resnet18-v1-7' ? 'resnet18-v1' : 'resnet50-v1');
  const h: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    h.push(await harness(path, c));
    b.push(await bare(path, c));
  }
  const ratio = median(h) / median(b);
  ratios.push(ratio);
  console.log(
    `${c.model.padEnd(15)} ${resolved.weights.padEnd(10)} ${String(c.batch).padStart(5)}  ${`${c.workers} x ${c.intra}`.padStart(15)}   ${median(h).toFixed(2).padStart(11)}   ${median(b).toFixed(2).padStart(8)}   ${ratio.toFixed(4)}`,
  );
}
const worst = Math.min(...ratios);
console.log(`\nworst ratio ${worst.toFixed(4)}, median ${median(ratios).toFixed(4)} (goal >= 0.99)`);
