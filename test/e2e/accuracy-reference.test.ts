/**
 * The independent reference figures of ../shared/assets/README.md, reproduced through the same
 * dataset -> preprocess -> evaluate path a suite uses. A colour-order bug fails the BGR test.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { loadDataset } from '../../harness/accuracy/dataset.js';
import { evaluate } from '../../harness/accuracy/evaluate.js';
import { IMAGENET_FLOAT_PREPROCESS } from '../../harness/models/registry.js';
import { assetTest, SHARED_ASSETS } from '../helpers.js';

const session = { intraOpThreads: 2, interOpThreads: 1, graphOptimizationLevel: 'all' as const, executionMode: 'sequential' as const };
const QDQ = join(SHARED_ASSETS, 'models', 'mobilenetv2-int8-qdq.onnx');

function dataset(folder: string) {
  return loadDataset({ images: join(SHARED_ASSETS, 'imagenet', folder), labels: join(SHARED_ASSETS, 'imagenet', 'val.txt'), classes: 1000, select: 'all', onError: 'stop' }, '/');
}

assetTest('mobilenetv2-int8-qdq on val-100: 63/100 top-1, 87/100 top-5 (one image either way)', async () => {
  const r = await evaluate(dataset('val-100'), { modelPath: QDQ, session, preprocess: IMAGENET_FLOAT_PREPROCESS, batch: 8, onError: 'stop' });
  assert.is(r.n, 100);
  assert.ok(Math.abs(r.top1.correct - 63) <= 1, `top-1 ${r.top1.correct}/100`);
  assert.ok(Math.abs(r.top5.correct - 87) <= 1, `top-5 ${r.top5.correct}/100`);
  assert.ok(r.top1.ci95[0] < 0.63 && 0.63 < r.top1.ci95[1]);
});

assetTest('feeding BGR instead of RGB is caught: clearly lower (reference 45/69)', async () => {
  const r = await evaluate(dataset('val-100'), { modelPath: QDQ, session, preprocess: { ...IMAGENET_FLOAT_PREPROCESS, colour: 'BGR' }, batch: 8, onError: 'stop' });
  assert.ok(r.top1.correct <= 52, `BGR top-1 ${r.top1.correct}/100 should be far below 63`);
  assert.ok(r.top5.correct <= 76, `BGR top-5 ${r.top5.correct}/100 should be far below 87`);
});

assetTest('mobilenetv2-int8-qdq on val-1300-227: 74.0% / 91.69% (within 0.3 points)', async () => {
  const r = await evaluate(dataset('val-1300-227'), { modelPath: QDQ, session, preprocess: IMAGENET_FLOAT_PREPROCESS, batch: 16, onError: 'stop' });
  assert.is(r.n, 1300);
  assert.ok(Math.abs(r.top1.value * 100 - 74.0) <= 0.3, `top-1 ${(r.top1.value * 100).toFixed(2)}%`);
  assert.ok(Math.abs(r.top5.value * 100 - 91.69) <= 0.3, `top-5 ${(r.top5.value * 100).toFixed(2)}%`);
});

test.run();
