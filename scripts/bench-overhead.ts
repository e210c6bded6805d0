/**
 * npm run bench:overhead — does the harness cost throughput? In one run, the same model and
 * config is measured by infergate (measureOrt: tinybench loop, per-call timestamps, barrier) and
 * by a bare onnxruntime-node worker loop; prints harness_qps / bare_qps. Goal: >= 0.99.
 *
 * Then telemetry on against off: the same harness measurement with the host telemetry sampler
 * running as a case runs it (every 200 ms on the main thread, cut to the window and summarised
 * after) and without it; prints on/off with the off runs' own spread, the noise a loss must
 * exceed to count. `--telemetry-only 1` skips the first table; `--telemetry 0` the second.
 *
 * Runs alternate (harness, bare, harness, bare, ...; on, off, on, off, ...) and the medians are
 * compared, so slow drift of the machine does not favour either side.
 */
import { Worker } from 'node:worker_threads';
import { measureOrt } from '../harness/measure/measure.js';
import { ensureSynthetic, resolveModel } from '../harness/models/resolve.js';
import { benchArgs, count, number, positiveSeconds } from './bench-args.js';
import { hostSource } from '../harness/telemetry/host.js';
import { startSampler, trimToWindow } from '../harness/telemetry/sampler.js';
import { summarizeSeries } from '../harness/telemetry/summary.js';

const flags = benchArgs<{ seconds: number; repeats: number; telemetry: number; telemetryOnly: number }>('bench:overhead', 'the harness\'s qps against a bare onnxruntime-node loop, and telemetry on against off', (c) => c
  .option('--seconds <s>', 'seconds per measurement', positiveSeconds, 5)
  .option('--repeats <n>', 'alternating measurements per side', count(), 3)
  .option('--telemetry <0|1>', '0 skips the telemetry table', number, 1)
  .option('--telemetry-only <0|1>', '1 skips the harness-against-bare table', number, 0), ['', '--telemetry-only 1 --repeats 5']);
const SECONDS = flags.seconds;
const REPEATS = flags.repeats;
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

async function harness(modelPath: string, c: Config, telemetry = false): Promise<number> {
  const source = telemetry ? hostSource().source : undefined;
  const sampler = source ? startSampler([source], 200) : undefined;
  const m = await measureOrt({
    onProgress: (p) => (p.phase === 'measure' && p.calls === 0 ? sampler?.sampleNow() : undefined),
    modelPath,
    batch: c.batch,
    threads: c.workers,
    session: { intraOpThreads: c.intra, interOpThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' },
    runLength: { warmupSeconds: 0, warmupIterations: WARMUP, minSeconds: SECONDS, minIterations: MIN_ITERATIONS, maxSeconds: SECONDS * 10 },
  });
  if (sampler && m.window) {
    const out = await sampler.stop();
    const util = summarizeSeries(trimToWindow(out.series, m.window.start, m.window.end)).find((x) => x.metric === 'cpu.util' && x.device === 'all');
    if (!util || util.n < 2) throw new Error('telemetry on, but the sampler took fewer than two samples in the window');
  }
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

const TELEMETRY = flags.telemetry !== 0;
const ONLY_TELEMETRY = flags.telemetryOnly !== 0;

async function modelPathOf(c: Config): Promise<{ path: string; weights: string }> {
  const resolved = await resolveModel({ ref: c.model, name: c.model, weights: 'auto' }, process.cwd());
  return { path: resolved.path ?? ensureSynthetic(c.model === 'resnet18-v1-7' ? 'resnet18-v1' : 'resnet50-v1'), weights: resolved.weights };
}

console.log(`bench:overhead: ${SECONDS} s per measurement, ${REPEATS} alternating repeats, medians compared`);
const ratios: number[] = [];
if (!ONLY_TELEMETRY) console.log('model           weights    batch  workers x intra   harness qps   bare qps   ratio');
for (const c of ONLY_TELEMETRY ? [] : configs) {
  const { path, weights } = await modelPathOf(c);
  const h: number[] = [];
  const b: number[] = [];
  for (let r = 0; r < REPEATS; r++) {
    h.push(await harness(path, c));
    b.push(await bare(path, c));
  }
  const ratio = median(h) / median(b);
  ratios.push(ratio);
  console.log(
    `${c.model.padEnd(15)} ${weights.padEnd(10)} ${String(c.batch).padStart(5)}  ${`${c.workers} x ${c.intra}`.padStart(15)}   ${median(h).toFixed(2).padStart(11)}   ${median(b).toFixed(2).padStart(8)}   ${ratio.toFixed(4)}`,
  );
}
if (ratios.length) console.log(`\nworst ratio ${worst(ratios).toFixed(4)}, median ${median(ratios).toFixed(4)} (goal >= 0.99)`);

function worst(xs: number[]): number {
  return Math.min(...xs);
}

if (TELEMETRY) {
  // Telemetry on against off, on the harness itself; the off runs' spread is the machine's noise.
  console.log(`\ntelemetry on (host sampler, 200 ms) against off: ${REPEATS} alternating repeats`);
  console.log('model           batch  workers x intra    on qps      off qps   on/off   off spread');
  const tRatios: number[] = [];
  for (const c of configs.filter((x) => x.model === 'resnet18-v1-7')) {
    const { path } = await modelPathOf(c);
    const on: number[] = [];
    const off: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      on.push(await harness(path, c, true));
      off.push(await harness(path, c, false));
    }
    const ratio = median(on) / median(off);
    const spread = (Math.max(...off) - Math.min(...off)) / median(off);
    tRatios.push(ratio);
    console.log(
      `${c.model.padEnd(15)} ${String(c.batch).padStart(5)}  ${`${c.workers} x ${c.intra}`.padStart(15)}   ${median(on).toFixed(2).padStart(8)}   ${median(off).toFixed(2).padStart(8)}   ${ratio.toFixed(4)}   ${(spread * 100).toFixed(1).padStart(6)}%`,
    );
  }
  console.log(`\ntelemetry on/off: worst ${worst(tRatios).toFixed(4)}, median ${median(tRatios).toFixed(4)} (a loss counts only beyond the off runs' own spread)`);
}
