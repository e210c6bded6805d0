/**
 * npm run bench:eval — does decoding and preprocessing keep up with inference? On val-1300-227,
 * for the same model, session and batch: evaluation throughput (decode + preprocess + infer,
 * pipelined) against inference-only throughput (the same images, preprocessed beforehand, fed
 * through the same inference thread). Prints the ratio; goal >= 0.90.
 */
import { loadDataset } from '../harness/accuracy/dataset.js';
import { evaluate, InferenceWorker } from '../harness/accuracy/evaluate.js';
import { preprocessImage, tensorLength } from '../harness/accuracy/preprocess.js';
import { findAsset } from '../harness/models/assets.js';
import { findModel } from '../harness/models/registry.js';
import { ensureSynthetic } from '../harness/models/resolve.js';
import type { OrtSessionConfig } from '../harness/targets/ort/session.js';

const images = findAsset('imagenet/val-1300-227');
const labels = findAsset('imagenet/val.txt');
if (!images || !labels) {
  console.error('bench:eval needs imagenet/val-1300-227 and imagenet/val.txt on the asset path (../shared/assets or INFERGATE_ASSETS)');
  process.exit(2);
}
const session: OrtSessionConfig = { intraOpThreads: 2, interOpThreads: 1, graphOptimizationLevel: 'all', executionMode: 'sequential' };
const dataset = loadDataset({ images, labels, classes: 1000, select: 'all', onError: 'stop' }, '/');

async function inferenceOnly(modelPath: string, batch: number, spec: NonNullable<ReturnType<typeof findModel>>['preprocess']): Promise<number> {
  const per = tensorLength(spec);
  const tensors = await Promise.all(dataset.items.map((it) => preprocessImage(it.file, spec)));
  const worker = new InferenceWorker({ modelPath, session, imageShape: [3, spec.crop.height, spec.crop.width], dtype: 'float32', batch });
  await worker.ready;
  const t0 = performance.now();
  const inflight: Promise<unknown>[] = [];
  for (let i = 0; i < tensors.length; i += batch) {
    const count = Math.min(batch, tensors.length - i);
    const data = new Float32Array(count * per);
    for (let j = 0; j < count; j++) data.set(tensors[i + j]!, j * per);
    inflight.push(worker.infer(data, count));
    if (inflight.length >= 2) await inflight.shift();
  }
  await Promise.all(inflight);
  const seconds = (performance.now() - t0) / 1000;
  await worker.close();
  return tensors.length / seconds;
}

console.log(`bench:eval on ${dataset.items.length} images of val-1300-227, ${session.intraOpThreads} intra-op threads`);
console.log('model                      batch   eval img/s   infer-only img/s   ratio   top-1');
// The pipeline's speed is what is measured: the ResNet50 with synthetic weights stands in for a
// heavy model (its top-1 is meaningless and is not printed).
const models: { id: string; path?: string; synthetic: boolean }[] = [
  { id: 'mobilenetv2-int8-qdq', path: findAsset('models/mobilenetv2-int8-qdq.onnx'), synthetic: false },
  { id: 'mobilenetv2-int8-dynamic', path: findAsset('models/mobilenetv2-int8-dynamic.onnx'), synthetic: false },
  { id: 'resnet50-v1-7@synthetic', path: ensureSynthetic('resnet50-v1'), synthetic: true },
];
for (const { id, path: modelPath, synthetic } of models) {
  const spec = findModel(id.replace('@synthetic', ''))!;
  if (!modelPath) continue;
  for (const batch of [1, 16]) {
    const only = await inferenceOnly(modelPath, batch, spec.preprocess);
    const r = await evaluate(dataset, { modelPath, session, preprocess: spec.preprocess, batch, onError: 'stop' });
    console.log(
      `${id.padEnd(26)} ${String(batch).padStart(5)}   ${r.imagesPerSecond.toFixed(1).padStart(10)}   ${only.toFixed(1).padStart(16)}   ${(r.imagesPerSecond / only).toFixed(3)}   ${synthetic ? 'n/a (synthetic weights)' : `${(r.top1.value * 100).toFixed(2)}%`}`,
    );
  }
}
