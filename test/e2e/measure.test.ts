import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { measureOrt } from '../../harness/measure/measure.js';
import { concreteShape, ShapeError } from '../../harness/targets/ort/session.js';
import { assetTest, SHARED_ASSETS, tempDir, writeTinyModel } from '../helpers.js';

const session = { intraOpThreads: 1, interOpThreads: 1, graphOptimizationLevel: 'all' as const, executionMode: 'sequential' as const };
const runLength = { warmupSeconds: 0, warmupIterations: 2, minSeconds: 0.3, minIterations: 20, maxSeconds: 10 };

test('two measuring threads each report their own latency; minimums hold', async () => {
  const model = writeTinyModel(tempDir());
  const m = await measureOrt({ modelPath: model, batch: 4, threads: 2, session, runLength });
  assert.is(m.threads.length, 2);
  for (const t of m.threads) {
    assert.ok(t.completed >= 20, `thread ${t.index} completed ${t.completed}`);
    assert.is(t.latency.n, t.completed);
    assert.ok(t.warmupCalls >= 2);
    assert.ok(t.latency.min > 0 && t.latency.min <= t.latency.p50 && t.latency.p50 <= t.latency.max);
  }
  assert.ok(m.throughput.wallSeconds >= 0.3);
  assert.is(m.pooled.n, m.threads[0]!.completed + m.threads[1]!.completed);
  assert.is(m.throughput.images, m.throughput.completed * 4);
  assert.equal(m.inputs, [{ name: 'x', type: 'float32', shape: [4, 3, 8, 8] }]);
  assert.ok(m.validity.valid);
});

test('maxDuration stops a run that cannot meet minIterations, and marks it invalid', async () => {
  const model = writeTinyModel(tempDir());
  const m = await measureOrt({ modelPath: model, batch: 1, threads: 1, session, runLength: { ...runLength, minSeconds: 0.05, minIterations: 10_000_000, maxSeconds: 0.3 } });
  assert.is(m.threads[0]!.stoppedBy, 'max-duration');
  assert.not.ok(m.validity.valid);
  assert.ok(m.validity.warnings.some((w) => w.code === 'too-few-samples'));
});

test('an abort signal stops the threads after their current call', async () => {
  const model = writeTinyModel(tempDir());
  const controller = new AbortController();
  setTimeout(() => controller.abort('SIGINT'), 400);
  const t0 = Date.now();
  const m = await measureOrt({ modelPath: model, batch: 1, threads: 2, session, runLength: { ...runLength, minSeconds: 30, maxSeconds: 60 }, signal: controller.signal });
  assert.ok(Date.now() - t0 < 10_000);
  assert.ok(m.threads.every((t) => t.stoppedBy === 'stop-request'));
});

test('a corrupt model fails in the load phase as a user error', async () => {
  const dir = tempDir();
  const path = join(dir, 'bad.onnx');
  (await import('node:fs')).writeFileSync(path, 'garbage');
  try {
    await measureOrt({ modelPath: path, batch: 1, threads: 2, session, runLength });
    assert.unreachable('should fail');
  } catch (err) {
    assert.is((err as Error).name, 'UserError');
    assert.match((err as Error).message, /thread \d \(load\)/);
  }
});

test('fixed batch dimensions and non-batch symbolic dims are explained', () => {
  assert.equal(concreteShape('x', ['N', 3, 224, 224], 8), [8, 3, 224, 224]);
  assert.equal(concreteShape('x', [1, 3, 224, 224], 1), [1, 3, 224, 224]);
  assert.throws(() => concreteShape('x', [1, 3, 224, 224], 8), (e: Error) => e instanceof ShapeError && /fixed batch dimension of 1/.test(e.message));
  assert.throws(() => concreteShape('x', ['N', 3, 'H', 'W'], 1), /symbolic dimension 'H' at axis 2/);
});

assetTest('the real MobileNetV2 int8 classifier from ../shared/assets measures on ort-cpu', async () => {
  const m = await measureOrt({
    modelPath: join(SHARED_ASSETS, 'models', 'mobilenetv2-int8-qdq.onnx'),
    batch: 1,
    threads: 1,
    session: { ...session, intraOpThreads: 2 },
    runLength: { ...runLength, minSeconds: 0.5, minIterations: 10 },
  });
  assert.equal(m.inputs[0]!.shape, [1, 3, 224, 224]);
  assert.ok(m.throughput.qps > 1);
});

test.run();
