/**
 * bench:eval's measurements, each run in a process of its own (so that its peak RSS is its own):
 * infer-only, one evaluation (cold or warm), and the paired warm and cold measurements
 * (bench-eval-paired.ts). bench-eval.ts spawns them and judges.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadDataset } from '../harness/accuracy/dataset.js';
import { evaluate } from '../harness/accuracy/evaluate.js';
import { prepPoolSize, sharesCores } from '../harness/accuracy/prep-pool.js';
import { findAsset } from '../harness/models/assets.js';
import { IMAGENET_FLOAT_PREPROCESS } from '../harness/models/registry.js';
import type { OrtSessionConfig } from '../harness/targets/ort/session.js';
import { markProcessDedicated } from '../harness/util/thread-priority.js';
import { inferenceWorker, inferOnlySide, pairedCold, pairedWarm, type PairedResult } from './bench-eval-paired.js';

const sessionWith = (intraOpThreads: number): OrtSessionConfig => ({ intraOpThreads, interOpThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' });
const spec = IMAGENET_FLOAT_PREPROCESS;
export type Job = { mode: 'infer' | 'eval' | 'paired-warm' | 'paired-cold'; model?: string; batch?: number; intra?: number; cacheRoot?: string; predictions?: string; threads?: number; perThread?: number; samePriority?: boolean; seconds?: number };
export type Reply = { rate: number; rssMB: number; status?: string; bytes?: number; top1?: number; lowered?: number; paired?: PairedResult };

export function dataset() {
  const images = findAsset('imagenet/val-1300-227');
  const labels = findAsset('imagenet/val.txt');
  if (!images || !labels) {
    console.error('bench:eval needs imagenet/val-1300-227 and imagenet/val.txt on the asset path (../shared/assets or INFERGATE_ASSETS)');
    process.exit(2);
  }
  return loadDataset({ images, labels, classes: 1000, select: 'all', onError: 'stop' }, '/');
}

/** Infer-only over the whole dataset, its images preprocessed beforehand (the paired measurement's infer-only side). */
async function inferenceOnly(modelPath: string, batch: number, session: OrtSessionConfig): Promise<number> {
  const o = { dataset: dataset(), modelPath, session, spec, batch, seconds: 0 };
  const worker = inferenceWorker(o, session);
  try {
    await worker.ready;
    const side = await inferOnlySide(o, worker);
    return o.dataset.items.length / (await side(0, o.dataset.items.length));
  } finally {
    await worker.close();
  }
}

async function child(job: Job): Promise<Reply> {
  const rss = () => process.resourceUsage().maxRSS / 1024;
  const session = sessionWith(job.intra!);
  if (job.mode === 'infer') return { rate: await inferenceOnly(job.model!, job.batch!, session), rssMB: rss() };
  if (job.mode === 'paired-warm' || job.mode === 'paired-cold') {
    const o = { dataset: dataset(), modelPath: job.model!, session, spec, batch: job.batch!, seconds: job.seconds!, cacheRoot: job.cacheRoot, decodeThreads: job.threads, perThread: job.perThread };
    // evaluate() with an engine cannot tell its intra-op threads: lower the decoding threads exactly where a case's cold run would.
    if (job.mode === 'paired-cold' && !job.samePriority && !sharesCores(job.intra!, prepPoolSize(job.intra!))) markProcessDedicated();
    const paired = job.mode === 'paired-warm' ? await pairedWarm(o) : await pairedCold(o);
    return { rate: 0, rssMB: rss(), paired };
  }
  // A bench child is a process of its own, like a case's: evaluation may lower its decoding threads.
  if (!job.samePriority) markProcessDedicated();
  const r = await evaluate(dataset(), { modelPath: job.model!, session, preprocess: spec, batch: job.batch!, onError: 'stop', predictionsFile: job.predictions, cache: { enabled: true, root: job.cacheRoot }, ...(job.perThread ? { perThread: job.perThread } : {}) });
  return { rate: r.imagesPerSecond, rssMB: rss(), status: r.inputCache.status, bytes: r.inputCache.bytes, top1: r.top1.value, lowered: r.pipeline.loweredThreads };
}

export function spawnChild(job: Job): Reply {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', JSON.stringify(job)], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`bench child ${JSON.stringify(job)} failed: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Reply;
}

if (process.argv[2] === '--child') {
  child(JSON.parse(process.argv[3]!) as Job).then(
    (r) => {
      console.log(JSON.stringify(r));
      process.exit(0);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}
