/**
 * npm run bench:int8 — what our int8 QDQ converter buys on this CPU, and what it costs.
 *
 * 1. Speed: ResNet18 and ResNet50 (the real zoo files when present, else the same architecture
 *    with synthetic weights), fp32 source against our qint8_mixed_float16 artifact, built through
 *    the same path `run` uses, measured by the harness with the same session config. Runs
 *    alternate (fp32, int8, fp32, ...) and medians are compared. Goal: int8/fp32 qps >= 1.5x.
 * 2. Accuracy: `infergate run suites/mobilenetv2-requant.yaml` (float MobileNetV2 folded from the
 *    QDQ file, our fp16 and int8 builds of it, val-1300-227, calibration on disjoint images):
 *    top-1 of each, the differences (goal: int8 within 1.5 points, fp16 within 0.3) and how
 *    often int8's top-1 class agrees with the float model's.
 *
 * Options: `npm run bench:int8 -- --help`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { convertCase, suiteCalibration } from '../harness/convert/index.js';
import { resolveWeightBits } from '../harness/convert/onnxruntime.js';
import { measureOrt } from '../harness/measure/measure.js';
import { findAsset } from '../harness/models/assets.js';
import { resolveModel } from '../harness/models/resolve.js';
import { expandSuite } from '../harness/suite/expand.js';
import { parseSuite } from '../harness/suite/load.js';
import type { OrtSessionConfig } from '../harness/targets/ort/session.js';
import { benchArgs, count, positiveSeconds } from './bench-args.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const flags = benchArgs<{ seconds: number; repeats: number; skipAccuracy?: boolean }>('bench:int8', 'int8 QDQ against fp32 qps on this CPU, and the accuracy the re-quantisation keeps', (c) => c
  .option('--seconds <s>', 'seconds per speed measurement', positiveSeconds, 5)
  .option('--repeats <n>', 'alternating fp32 / int8 measurements per configuration', count(), 3)
  .option('--skip-accuracy', 'only the speed table'), ['', '--seconds 2 --repeats 1 --skip-accuracy']);
const SECONDS = flags.seconds;
const REPEATS = flags.repeats;

if (!findAsset('imagenet/val-100') || !findAsset('imagenet/val-1300-227')) {
  console.error('bench:int8 needs imagenet/val-100 (calibration) and imagenet/val-1300-227 on the asset path (../shared/assets or INFERGATE_ASSETS)');
  process.exit(2);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function qps(modelPath: string, batch: number, workers: number, intra: number): Promise<number> {
  const session: OrtSessionConfig = { intraOpThreads: intra, interOpThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' };
  const m = await measureOrt({ modelPath, batch, threads: workers, session, runLength: { warmupSeconds: 0.5, warmupIterations: 3, minSeconds: SECONDS, minIterations: 5, maxSeconds: SECONDS * 10 } });
  return m.throughput.qps;
}

console.log(`bench:int8: ${SECONDS} s per measurement, ${REPEATS} alternating repeats, medians compared; weights ${resolveWeightBits('auto')}-bit (auto on this CPU)`);
console.log('model           weights    batch  workers x intra   fp32 qps   int8 qps   int8/fp32');
const ratios: number[] = [];
for (const model of ['resnet18-v1-7', 'resnet50-v1-7']) {
  // The same path as `run`: a suite, its cases, the converter through the artifact cache.
  const loaded = parseSuite(
    `name: bench-int8\nmodels: [${model}]\ntargets: [ort-cpu]\nprecisions: [int8]\ncalibration: { images: asset:imagenet/val-100, select: { first: 32 } }\n`,
    join(ROOT, 'suites', 'bench-int8.yaml'),
  );
  const [c] = expandSuite(loaded.suite).cases;
  const resolved = await resolveModel(c!.model, loaded.baseDir);
  const t0 = Date.now();
  const conv = await convertCase(c!, resolved, loaded.suite, suiteCalibration(loaded.suite, loaded.baseDir, [c!], loaded.file));
  console.log(`  (${model} int8 artifact, cache entry ${conv.key}: ${conv.meta.details?.quantizedNodes} ops quantised, ready in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
  for (const [batch, workers, intra] of [
    [1, 1, 2],
    [1, 2, 1],
    [8, 1, 2],
  ] as const) {
    const f: number[] = [];
    const q: number[] = [];
    for (let r = 0; r < REPEATS; r++) {
      f.push(await qps(resolved.path, batch, workers, intra));
      q.push(await qps(conv.artifact!, batch, workers, intra));
    }
    const ratio = median(q) / median(f);
    ratios.push(ratio);
    console.log(
      `${model.padEnd(15)} ${resolved.weights.padEnd(10)} ${String(batch).padStart(5)}  ${`${workers} x ${intra}`.padStart(15)}   ${median(f).toFixed(2).padStart(8)}   ${median(q).toFixed(2).padStart(8)}   ${ratio.toFixed(2)}x`,
    );
  }
}
console.log(`\nint8/fp32 qps: worst ${Math.min(...ratios).toFixed(2)}x, median ${median(ratios).toFixed(2)}x (goal >= 1.5x)`);

if (!flags.skipAccuracy) {
  const out = mkdtempSync(join(tmpdir(), 'infergate-bench-int8-'));
  try {
    console.log(`\nMobileNetV2 re-quantisation: infergate run suites/mobilenetv2-requant.yaml ...`);
    const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'infergate.js'), 'run', join(ROOT, 'suites', 'mobilenetv2-requant.yaml'), '--out', out, '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'] });
    if (r.status !== 0) {
      console.error(`the run ended with exit ${r.status}`);
      process.exit(r.status ?? 3);
    }
    const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
    const byPrecision = new Map<string, any>(results.cases.map((x: any) => [x.key.precision, x]));
    const predictions = (x: any) =>
      readFileSync(join(out, x.accuracy.predictionsFile), 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).top5[0] as number);
    const float = byPrecision.get('force_float32');
    const base = predictions(float);
    console.log('precision             top-1     top-5     vs float top-1   same top-1 class as float   qps (b1 t1)');
    for (const [precision, x] of byPrecision) {
      const p = predictions(x);
      const same = p.filter((cls, i) => cls === base[i]).length;
      const delta = (x.accuracy.top1.value - float.accuracy.top1.value) * 100;
      console.log(
        `${precision.padEnd(20)} ${(x.accuracy.top1.value * 100).toFixed(2).padStart(6)}%   ${(x.accuracy.top5.value * 100).toFixed(2).padStart(6)}%   ${`${delta >= 0 ? '+' : ''}${delta.toFixed(2)} pts`.padStart(14)}   ${`${same}/${p.length} (${((same / p.length) * 100).toFixed(2)}%)`.padStart(25)}   ${x.throughput.qps.toFixed(1).padStart(9)}`,
      );
    }
    console.log(`(n = ${float.accuracy.n} images of val-1300-227; goals: int8 within 1.5 points of float, fp16 within 0.3)`);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
