/**
 * npm run bench:eval — does the accuracy pipeline keep up with inference? On val-1300-227, for
 * the same model, session and batch (the measurements live in bench-eval-child.ts):
 *   infer-only  the images preprocessed beforehand, fed through the same inference thread;
 *   cold        evaluation with an empty preprocessed-input cache (decode in the pool, fill the cache);
 *   warm        evaluation again, reading the cache.
 * This machine's speed moves by 10-20% within seconds, so runs taken one after the other compare
 * two different machines. The judged ratios are paired (bench-eval-paired.ts): one process
 * alternates short chunks of infer-only and evaluation (and, for cold, the pool alone, whose
 * rate makes the goal) until infer-only and the evaluation each ran --paired-seconds. Whole runs, each in its own process
 * between two infer-only runs, still show the cache filled then hit, identical predictions, peak
 * RSS, and for comparison their own ratios.
 * Goals (issue 18): warm >= 0.95 on every row; cold at least 90% of min(1, decode rate / inference
 * rate), the decode rate being the preprocessing pool's own (the threads the evaluation uses,
 * nothing else running), measured in the same rounds. That goal assumes decoding and inference on
 * separate cores, as on the boards (inference on the accelerator). On the host the cores are
 * shared, and the cold ratio is judged against a bound where it is lower than the goal (both printed):
 *   shared cores (intra-op threads + pool > cores): no pipeline beats decoding with every core and
 *     then inferring with every core, 1 / (1/decode with every core + 1/infer);
 *   own cores (the pool sized to the cores inference leaves free): the CPU budget, cores / (CPU per
 *     image of the pool alone + CPU per image warm, both paired), since libuv's and libvips'
 *     threads and the feeding run on the inference core too.
 * Cold and warm must give identical per-image predictions.
 * Options: `npm run bench:eval -- --help`.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { prepPoolSize, sharesCores } from '../harness/accuracy/prep-pool.js';
import { percentileSorted } from '../harness/measure/stats.js';
import { findAsset } from '../harness/models/assets.js';
import { findModel } from '../harness/models/registry.js';
import { ensureSynthetic } from '../harness/models/resolve.js';
import { benchArgs, count, positiveSeconds } from './bench-args.js';
import { dataset, spawnChild, type Reply } from './bench-eval-child.js';
import type { PairedResult } from './bench-eval-paired.js';

const median = (xs: readonly number[]) => percentileSorted([...xs].sort((a, b) => a - b), 50);

interface Flags { pairedSeconds: number; rounds: number; coldRounds: number; only?: string; perThread?: number; samePriority?: boolean }
const options = benchArgs<Flags>('bench:eval', 'evaluation img/s against inference-only img/s, with the preprocessed-input cache cold and warm', (c) => c
  // 60, not 30: a cold round is the whole dataset, and at 1 intra-op thread 30 s held only 3-4 of
  // them, so one slow spell decided the row (b1 t1 cold quartiles 0.800-0.915 at 30 s, 0.935-0.974 at 60).
  .option('--paired-seconds <s>', 'seconds of infer-only and of evaluation in each paired measurement', positiveSeconds, 60)
  .option('--rounds <n>', 'whole warm runs per row', count(), 1)
  .option('--cold-rounds <n>', 'whole cold runs per row, each from an empty cache', count(), 1)
  .option('--only <prefix>', 'rows whose model id starts with it, e.g. mobilenetv2-int8-qdq')
  .option('--per-thread <n>', 'images each preprocessing thread decodes at once (default: the evaluation\'s)', count())
  .option('--same-priority', 'cold runs leave the decoding threads at the inference threads\' priority'), ['', '--only mobilenetv2-int8-qdq --paired-seconds 30']);

async function main(): Promise<void> {
  const n = dataset().items.length;
  const { rounds, pairedSeconds, coldRounds, only, perThread, samePriority } = options;
  const flags = { ...(perThread !== undefined ? { perThread } : {}), ...(samePriority ? { samePriority: true } : {}) };
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  console.log(`bench:eval on ${n} images of val-1300-227; ${cores} cores; per row ${coldRounds} whole cold and ${rounds} whole warm run(s), each between two infer-only runs, then paired cold and warm measurements of ${pairedSeconds} s a side; load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const work = mkdtempSync(join(os.tmpdir(), 'infergate-bench-eval-'));
  const models: { id: string; path?: string; synthetic: boolean; intra: number[] }[] = [
    { id: 'mobilenetv2-int8-qdq', path: findAsset('models/mobilenetv2-int8-qdq.onnx'), synthetic: false, intra: [cores, 1] },
    { id: 'mobilenetv2-int8-dynamic', path: findAsset('models/mobilenetv2-int8-dynamic.onnx'), synthetic: false, intra: [cores] },
    { id: 'resnet50-v1-7@synthetic', path: ensureSynthetic('resnet50-v1'), synthetic: true, intra: [cores] },
  ];
  const head = ['model', 'batch', 'intra-op', 'pool', 'infer img/s (paired with cold / warm)', 'cold img/s', 'warm img/s', 'cold ratio', 'cold goal', 'bound (the goal when lower)', 'warm ratio', 'whole runs: cold / warm ratio', 'cache: cold / warm runs', 'same preds', 'peak RSS MB (infer/cold/warm)', 'top-1'];
  const rows: string[][] = [];
  let failed = 0;
  try {
    for (const { id, path: modelPath, synthetic, intra: intras } of models) {
      if (!modelPath || !findModel(id.replace('@synthetic', '')) || (only && !id.startsWith(only))) continue;
      for (const intra of intras) {
        const pool = prepPoolSize(intra, cores);
        const shared = sharesCores(intra, pool, cores);
        for (const batch of [1, 16]) {
          const rowDir = join(work, `${id}-b${batch}-t${intra}`);
          const job = { model: modelPath, batch, intra, ...flags };
          // Whole runs, each in its own process: the cache filled and then hit, identical predictions,
          // peak RSS, and the ratios a lab would see from separate runs. only[i] and only[i + 1] bracket run i.
          const only: Reply[] = [spawnChild({ mode: 'infer', ...job })];
          const colds: { reply: Reply; root: string }[] = [];
          for (let c = 0; c < coldRounds; c++) {
            // Every cold run starts from an empty cache of its own.
            const root = join(rowDir, `cold-${c}`);
            colds.push({ reply: spawnChild({ mode: 'eval', ...job, cacheRoot: root, predictions: join(root, 'cold.jsonl') }), root });
            only.push(spawnChild({ mode: 'infer', ...job }));
          }
          const cacheRoot = colds.at(-1)!.root;
          const warm: Reply[] = [];
          for (let r = 0; r < rounds; r++) {
            warm.push(spawnChild({ mode: 'eval', ...job, cacheRoot, ...(r === 0 ? { predictions: join(cacheRoot, 'warm.jsonl') } : {}) }));
            only.push(spawnChild({ mode: 'infer', ...job }));
          }
          // The judged ratios: paired chunks in one process (bench-eval-paired.ts).
          const pw = spawnChild({ mode: 'paired-warm', ...job, cacheRoot, seconds: pairedSeconds }).paired!;
          const pc = spawnChild({ mode: 'paired-cold', ...job, seconds: pairedSeconds, ...(shared && pool !== cores ? { threads: cores } : {}) }).paired!;
          const around = (i: number) => (only[i]!.rate + only[i + 1]!.rate) / 2;
          const wholeCold = colds.map((c, i) => c.reply.rate / around(i));
          const wholeWarm = warm.map((w, r) => w.rate / around(coldRounds + r));
          const infer = pc.sides.infer!;
          const decode = pc.sides.decode!;
          const decodeAll = pc.sides.decodeAll ?? decode;
          const goal = Math.min(1, decode.rate / infer.rate);
          // Decoding and inference on the same cores: the cold rate cannot beat doing one after the other with all cores.
          // With cores of its own, the pool's helpers still share them: the CPU budget of both stages bounds it.
          const bound = shared ? 1 / (1 / decodeAll.rate + 1 / infer.rate) / infer.rate : Math.min(1, cores / (decode.cpuPerImage + pw.sides.warm!.cpuPerImage) / infer.rate);
          const coldOk = pc.ratio >= 0.9 * Math.min(goal, bound);
          const warmOk = pw.ratio >= 0.95;
          const allHit = warm.every((w) => w.status === 'hit');
          const allFilled = colds.every((c) => c.reply.status === 'filled');
          const warmPreds = readFileSync(join(cacheRoot, 'warm.jsonl'), 'utf8');
          const same = colds.every((c) => readFileSync(join(c.root, 'cold.jsonl'), 'utf8') === warmPreds);
          if (!warmOk || !coldOk || !same || !allFilled || !allHit) failed++;
          const cold = colds[0]!.reply;
          rows.push([
            id,
            String(batch),
            String(intra),
            String(pool),
            `${infer.rate.toFixed(1)} / ${pw.sides.infer!.rate.toFixed(1)}`,
            pc.sides.cold!.rate.toFixed(1),
            pw.sides.warm!.rate.toFixed(1),
            `${pc.ratio.toFixed(3)}${coldOk ? '' : ' MISS'}`,
            goal.toFixed(3),
            `${bound.toFixed(3)} (${shared ? 'shared cores' : 'CPU budget'})`,
            `${pw.ratio.toFixed(3)}${warmOk ? '' : ' MISS'}`,
            `${median(wholeCold).toFixed(3)} / ${median(wholeWarm).toFixed(3)}`,
            `${allFilled ? 'filled' : colds.map((c) => c.reply.status).join('/')} / ${allHit ? 'hit' : warm.map((w) => w.status).join('/')}`,
            same ? 'yes' : 'NO',
            `${Math.max(...only.map((o) => o.rssMB)).toFixed(0)}/${cold.rssMB.toFixed(0)}/${Math.max(...warm.map((w) => w.rssMB)).toFixed(0)}`,
            synthetic ? 'n/a (synthetic)' : `${((warm[0]!.top1 ?? 0) * 100).toFixed(2)}%`,
          ]);
          const q = (r: PairedResult) => r.quartiles.map((x) => x.toFixed(3)).join(' ');
          console.log(`| ${rows.at(-1)!.join(' | ')} |  cache ${((cold.bytes ?? 0) / 1e6).toFixed(1)} MB; paired cold: ${pc.chunks} rounds of ${pc.imagesPerChunk} images; decode ${decode.rate.toFixed(1)} img/s (pool of ${pool}, CPU ${(decode.cpuPerImage * 1000).toFixed(1)} ms per image)${pc.sides.decodeAll ? `, ${decodeAll.rate.toFixed(1)} (${cores} threads)` : ''}; chunk ratios' quartiles ${q(pc)}; cold CPU ${(pc.sides.cold!.cpuPerImage * 1000).toFixed(1)} ms per image (${(pc.sides.cold!.cpuPerImage * pc.sides.cold!.rate).toFixed(2)} cores busy); whole cold run lowered ${cold.lowered ?? 0} decoding thread(s); paired warm: ${pw.chunks} rounds of ${pw.imagesPerChunk} images, CPU ${(pw.sides.warm!.cpuPerImage * 1000).toFixed(1)} ms per image warm, chunk ratios' quartiles ${q(pw)}; whole runs over infer: cold ${wholeCold.map((x) => x.toFixed(3)).join(' ')}, warm ${wholeWarm.map((x) => x.toFixed(3)).join(' ')}; infer-only whole runs ${only.map((o) => o.rate.toFixed(1)).join(' ')}`);
        }
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  console.log(`\n| ${head.join(' | ')} |\n|${head.map(() => ' --- ').join('|')}|`);
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(`\ncold ratio = cold img/s over infer-only img/s, paired: the whole dataset (a cold evaluation starts a pool and writes a cache file, 150-250 ms, so shorter chunks would pay it more often than a run does), alternated in one process with infer-only, the pool alone and (shared cores) a pool of ${cores} threads alone, the order rotating every round, until infer-only and cold each ran ${pairedSeconds} s; each cold chunk from an empty cache of its own. cold goal = min(1, the pool's decode rate / infer-only), both from the same rounds; met when the cold ratio is at least 90% of the lower of the goal and the bound.`);
  console.log(`warm ratio = warm img/s over infer-only img/s, paired the same way in chunks of about 1 s; goal >= 0.95. Whole runs: a separate process each, over the mean of the infer-only runs just before and after (median over runs), shown for comparison only: on this machine they move by more than the margins judged.`);
  console.log(`bound, shared cores: where the session's intra-op threads and the pool together exceed the ${cores} cores, the cold rate cannot beat 1 / (1/decode with ${cores} threads + 1/infer) (decode with every core, then infer with every core), over infer.`);
  console.log(`bound, CPU budget: where the pool has cores of its own, its helpers (libuv's and libvips' threads, the feeding) still run on the inference core: the cold rate cannot beat ${cores} cores / (CPU per image of the pool alone + CPU per image warm, both from the paired rounds), over infer. A row's cold ratio is judged against the lower of the goal and its bound.`);
  console.log(`load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}; ${failed} row(s) missed a goal`);
}

await main();
