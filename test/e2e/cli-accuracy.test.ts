import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assetTest, runCli, tempDir, writeSuite, writeTinyModel } from '../helpers.js';

const dir = tempDir();
const FAST = 'measure: { warmup: { duration: 0, iterations: 1 }, minDuration: 100ms, minIterations: 3, maxDuration: 5s }\n';
const DATASET = `dataset:
  images: asset:imagenet/val-100
  labels: asset:imagenet/val.txt
  select: { first: 10 }
`;

assetTest('accuracy beside performance: real model scored, synthetic refused, predictions written', () => {
  const suite = writeSuite(dir, 'acc.yaml', `name: acc\nmodels: [mobilenetv2-int8-qdq, resnet18-v1-7]\ntargets: [ort-cpu]\nbatch: [4]\nthreads: [1, 2]\n${FAST}${DATASET}`);
  const out = join(dir, 'run-acc');
  const r = runCli(['run', suite, '--out', out, '--quiet']);
  assert.is(r.code, 0, r.stderr);
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  const mobile = results.cases.filter((c: { key: { model: string } }) => c.key.model === 'mobilenetv2-int8-qdq');
  assert.is(mobile.length, 2);
  for (const c of mobile) {
    assert.is(c.accuracy.status, 'ok');
    assert.is(c.accuracy.n, 10);
    assert.ok(c.accuracy.top1.ci95[0] <= c.accuracy.top1.value && c.accuracy.top1.value <= c.accuracy.top1.ci95[1]);
  }
  // threads do not change predictions: one evaluation serves both cases
  assert.is(mobile[0].accuracy.predictionsFile, mobile[1].accuracy.predictionsFile);
  const lines = readFileSync(join(out, mobile[0].accuracy.predictionsFile), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.is(lines.length, 10);
  assert.is(lines[0].top5.length, 5);
  const resnet = results.cases.find((c: { key: { model: string } }) => c.key.model === 'resnet18-v1-7');
  if (resnet.weights === 'synthetic') {
    assert.is(resnet.accuracy.status, 'refused');
    assert.not.ok('top1' in resnet.accuracy, 'no number for synthetic weights');
  }
  assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /## Accuracy/);
  assert.match(r.stdout, /top-1\s+top-5/);
});

test('asking for the accuracy of an explicitly synthetic model is refused at validation (exit 2)', () => {
  const suite = writeSuite(dir, 'syn.yaml', `name: syn\nmodels: [resnet18-v1-7@synthetic]\ntargets: [ort-cpu]\n${FAST}${DATASET}accuracy: { models: [resnet18-v1-7@synthetic] }\n`);
  const r = runCli(['run', suite]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /accuracy\.models\[0\]: 'resnet18-v1-7@synthetic' has synthetic \(seeded\) weights/);
});

assetTest('a model whose input contradicts its preprocessing fails its case as bad input', () => {
  writeTinyModel(dir); // input [N, 3, 8, 8], but ImageNet preprocessing makes 224x224
  const suite = writeSuite(dir, 'shape.yaml', `name: shape\nmodels: [tiny.onnx]\ntargets: [ort-cpu]\n${FAST}${DATASET}`);
  const out = join(dir, 'run-shape');
  const r = runCli(['run', suite, '--out', out, '--quiet']);
  assert.is(r.code, 2);
  const c = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).cases[0];
  assert.is(c.accuracy.status, 'failed');
  assert.match(c.error.message, /input 'x' is \[N, 3, 8, 8\] float32, but the preprocessing produces \[batch, 3, 224, 224\]/);
  assert.ok(c.throughput.qps > 0, 'the performance half of the case is kept');
});

test('a missing dataset folder is a user error before anything runs', () => {
  writeTinyModel(dir);
  const suite = writeSuite(dir, 'nodata.yaml', `name: nodata\nmodels: [tiny.onnx]\ntargets: [ort-cpu]\n${FAST}dataset: { images: no-such-folder, labels: val.txt }\n`);
  const r = runCli(['run', suite]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /dataset\.images: .*no-such-folder is not a folder of images/);
});

test.run();
