/**
 * The MagicMind backend, compiled against our fake SDK (test/fake-sdk; never part of a production
 * build) and exercised: the documented call order (EngineConfig with const data initialised,
 * the const-reference Enqueue for pre-allocated outputs, the allocating one only for dynamic
 * outputs), every allocation freed, device time, vendor messages, unknown data types.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { addon, live, model, reset, trace, withEnv } from './fake-sdk-addon.js';

test('magicmind: the documented sequence, runtime-read UINT8 NHWC input, device time from notifiers, all destroyed', async () => {
  reset('magicmind');
  const s = new addon.NativeSession('magicmind', model, { device: 0, batch: 2 });
  assert.equal(s.inputs(), [{ name: 'data', dtype: 'uint8', dims: [2, 224, 224, 3], bytes: 2 * 224 * 224 * 3, layout: 'NHWC', mutableBatch: true }]);
  const x = new Uint8Array(2 * 224 * 224 * 3);
  x[0] = 7;
  x[224 * 224 * 3] = 9;
  const [out] = await s.infer([x]);
  assert.is(out![0], 7);
  assert.is(out![1000], 9);
  s.close();
  assert.equal(trace('magicmind'), [
    'cnrtSetDevice 0',
    'cnrtQueueCreate',
    'CreateIModel',
    `IModel::DeserializeFromFile ${model}`,
    'IModel::CreateIEngine MLU const_data_init=1',
    'IEngine::CreateIContext',
    'CreateInputTensors',
    'CreateOutputTensors',
    'IRTTensor::SetDimensions data',
    `cnrtMalloc ${2 * 224 * 224 * 3}`,
    'IRTTensor::SetData data',
    'IContext::InferOutputShape',
    'IRTTensor::SetDimensions resnetv17_dense0_fwd',
    'cnrtMalloc 8000',
    'IRTTensor::SetData resnetv17_dense0_fwd',
    'cnrtNotifierCreate',
    'cnrtNotifierCreate',
    'cnrtMemcpy H2D',
    'cnrtPlaceNotifier',
    'IContext::Enqueue(outputs set by the caller)',
    'cnrtPlaceNotifier',
    'cnrtQueueSync',
    'cnrtNotifierDuration',
    'cnrtMemcpy D2H',
    'cnrtNotifierDestroy',
    'cnrtNotifierDestroy',
    'IRTTensor::Destroy resnetv17_dense0_fwd',
    'IRTTensor::Destroy data',
    'cnrtFree',
    'cnrtFree',
    'IContext::Destroy',
    'IEngine::Destroy',
    'IModel::Destroy',
    'cnrtQueueDestroy',
  ]);
  assert.is(live('magicmind'), 'live_mlu=0 live_objects=0 live_queues=0 enqueue_allocs=0');
});

test('magicmind: the driver reports device compute time beside host latency; no allocation inside timed calls', async () => {
  reset('magicmind');
  await withEnv({ FAKE_MM_LATENCY_US: '300' }, async () => {
    const r = await addon.runDriver({ backend: 'magicmind', artifact: model, options: { batch: 1 }, threads: 2, warmupSeconds: 0, warmupIterations: 2, minSeconds: 0.05, minIterations: 10, maxSeconds: 5 });
    for (const t of r.threads) {
      assert.ok(t.deviceMs.length >= 10);
      for (let i = 0; i < t.deviceMs.length; i++) {
        assert.ok(Math.abs(t.deviceMs[i]! - 0.3) < 1e-6, `device ${t.deviceMs[i]}`);
        assert.ok(t.ends[i]! - t.starts[i]! >= 0.3, 'host latency includes the device time');
      }
    }
  });
  assert.is(live('magicmind'), 'live_mlu=0 live_objects=0 live_queues=0 enqueue_allocs=0');
});

test('magicmind: dynamic outputs (InferOutputShape fails) use the allocating Enqueue; sizes are read after it', async () => {
  reset('magicmind');
  await withEnv({ FAKE_MM_DYNAMIC_OUTPUT: '1' }, async () => {
    const s = new addon.NativeSession('magicmind', model, { batch: 2 });
    assert.equal(s.outputs(), [{ name: 'resnetv17_dense0_fwd', dtype: 'float32', dims: [-1, 1000], bytes: 0, layout: '', mutableBatch: false }]);
    const x = new Uint8Array(2 * 224 * 224 * 3);
    x[0] = 7;
    x[224 * 224 * 3] = 9;
    for (let call = 0; call < 2; call++) {
      const [out] = await s.infer([x]);
      assert.is(out!.length, 2000);
      assert.is(out![0], 7);
      assert.is(out![1000], 9);
    }
    assert.equal(s.outputs()[0]!.dims, [2, 1000]);
    assert.is(s.outputs()[0]!.bytes, 8000);
    s.close();
  });
  const t = trace('magicmind');
  assert.is(t.filter((l) => l === 'IContext::Enqueue(outputs allocated by the runtime)').length, 2);
  assert.is(t.filter((l) => l.startsWith('cnrtMalloc')).length, 1, 'only the input is allocated by infergate');
  assert.is(live('magicmind'), 'live_mlu=0 live_objects=0 live_queues=0 enqueue_allocs=2');
});

test('magicmind: an output type infergate does not handle is an error, never read as float32', () => {
  for (const type of ['INT16', 'QINT8', 'INT4', 'UINT4']) {
    process.env.FAKE_MM_OUTPUT_TYPE = type;
    try {
      assert.throws(() => new addon.NativeSession('magicmind', model, { batch: 1 }), /tensor resnetv17_dense0_fwd has data type \d+ \(magicmind::DataType\), which infergate does not handle yet/);
    } finally {
      delete process.env.FAKE_MM_OUTPUT_TYPE;
    }
  }
  assert.is(live('magicmind').replace(/ enqueue_allocs=\d+/, ''), 'live_mlu=0 live_objects=0 live_queues=0');
});

test('magicmind: load, enqueue and device errors carry the runtime\'s words; nothing leaks', async () => {
  reset('magicmind');
  await withEnv({ FAKE_MM_FAIL_LOAD: '1' }, async () => {
    assert.throws(() => new addon.NativeSession('magicmind', model, {}), /IModel::DeserializeFromFile\(.*\) failed: cannot deserialize model/);
  });
  await withEnv({ FAKE_MM_ENQUEUE_FAIL: '1' }, async () => {
    const s = new addon.NativeSession('magicmind', model, { batch: 1 });
    await s.infer([new Uint8Array(224 * 224 * 3)]).then(
      () => assert.unreachable(),
      (e: Error) => assert.match(e.message, /IContext::Enqueue failed: MLU core dump: kernel timeout/),
    );
    s.close();
  });
  await withEnv({ FAKE_MM_NO_DEVICE: '1' }, async () => {
    assert.throws(() => addon.versions('magicmind'), /cnrtDriverGetVersion failed: cnrtErrorNoDevice/);
    assert.throws(() => new addon.NativeSession('magicmind', model, {}), /cnrtSetDevice failed: cnrtErrorNoDevice/);
  });
  assert.is(live('magicmind'), 'live_mlu=0 live_objects=0 live_queues=0 enqueue_allocs=0');
});

test.run();
