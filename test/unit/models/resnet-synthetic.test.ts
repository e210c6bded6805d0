import { test } from 'uvu';
import * as assert from 'uvu/assert';
import * as ort from 'onnxruntime-node';
import { decodeModel } from '../../../harness/models/onnx.js';
import { generateResNet } from '../../../harness/models/resnet-synthetic.js';
import { ensureSynthetic } from '../../../harness/models/resolve.js';
import '../../helpers.js';

test('ResNet18 v1: 11.69M parameters, the zoo layer shapes, onnxruntime runs it', async () => {
  const g = generateResNet('resnet18-v1');
  assert.is(g.parameters, 11_689_512); // torchvision/gluon ResNet18 count
  const model = decodeModel(g.bytes);
  const convs = model.graph!.node!.filter((n) => n.opType === 'Conv');
  assert.is(convs.length, 20); // 1 stem + 16 block convs + 3 downsample
  const fc = model.graph!.initializer!.find((t) => t.name === 'resnetv15_dense0_weight')!;
  assert.equal(fc.dims!.map(Number), [1000, 512]);
  const session = await ort.InferenceSession.create(g.bytes, { logSeverityLevel: 3 });
  assert.equal(session.inputNames, ['data']);
  assert.equal(session.outputNames, ['resnetv15_dense0_fwd']);
  const x = new ort.Tensor('float32', new Float32Array(2 * 3 * 224 * 224).fill(0.5), [2, 3, 224, 224]);
  const out = await session.run({ data: x });
  const y = out.resnetv15_dense0_fwd!;
  assert.equal(y.dims, [2, 1000]);
  assert.ok((y.data as Float32Array).every(Number.isFinite), 'outputs are finite');
  await session.release();
});

test('ResNet50 v1: 25.5M parameters (gluon v1: biased 1x1 convs), 53 convs, finite outputs', async () => {
  const g = generateResNet('resnet50-v1');
  // torchvision's 25,557,032 plus the 18,880 biases of gluon's 1x1 bottleneck convs.
  assert.is(g.parameters, 25_575_912);
  const model = decodeModel(g.bytes);
  assert.is(model.graph!.node!.filter((n) => n.opType === 'Conv').length, 53);
  assert.is(model.graph!.node!.filter((n) => n.opType === 'BatchNormalization').length, 53);
  const session = await ort.InferenceSession.create(g.bytes, { logSeverityLevel: 3 });
  const out = await session.run({ data: new ort.Tensor('float32', new Float32Array(3 * 224 * 224).fill(1), [1, 3, 224, 224]) });
  const y = out[session.outputNames[0]!]!;
  assert.equal(y.dims, [1, 1000]);
  assert.ok((y.data as Float32Array).every(Number.isFinite));
  await session.release();
});

test('generation is deterministic for a seed and differs across seeds', () => {
  const a = generateResNet('resnet18-v1', 3).bytes;
  const b = generateResNet('resnet18-v1', 3).bytes;
  const c = generateResNet('resnet18-v1', 4).bytes;
  assert.is(Buffer.compare(Buffer.from(a), Buffer.from(b)), 0);
  assert.is.not(Buffer.compare(Buffer.from(a), Buffer.from(c)), 0);
});

test('the synthetic file is marked synthetic and cached', () => {
  const p1 = ensureSynthetic('resnet18-v1');
  const p2 = ensureSynthetic('resnet18-v1');
  assert.is(p1, p2);
});

test.run();
