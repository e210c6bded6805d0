/**
 * The hbDNN and MagicMind backends, compiled against our fake SDKs (test/fake-sdk; never part of
 * a production build) and exercised: the documented call order, every allocation freed, vendor
 * messages surfacing unchanged, dequantisation, device time, the 32-task limit.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { NativeAddon } from '../../harness/targets/native.js';
import { ROOT, tempDir } from '../helpers.js';

interface FakeAddon extends NativeAddon {
  fakeSdkReport(which: 'hbdnn' | 'magicmind', reset?: boolean): string;
}

const build = spawnSync(process.execPath, [join(ROOT, 'test', 'fake-sdk', 'build.mjs')], { encoding: 'utf8' });
if (build.status !== 0) throw new Error(`building the fake-SDK addon failed:\n${build.stderr}`);
const addon = createRequire(import.meta.url)(build.stdout.trim()) as FakeAddon;
const dir = tempDir();
const model = join(dir, 'model.bin');
writeFileSync(model, 'fake model');

const trace = (which: 'hbdnn' | 'magicmind') => addon.fakeSdkReport(which).split('\n').slice(1);
const live = (which: 'hbdnn' | 'magicmind') => addon.fakeSdkReport(which).split('\n')[0];
const reset = (which: 'hbdnn' | 'magicmind') => addon.fakeSdkReport(which, true);
const withEnv = async <T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> => {
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const k of Object.keys(env)) delete process.env[k];
  }
};

test('both vendor backends are compiled into the fake-SDK build (and only there)', () => {
  assert.equal(addon.compiledBackends().sort(), ['hbdnn', 'magicmind', 'sim']);
  assert.match(addon.versions('hbdnn').libdnn!, /fake-libdnn/);
  assert.equal(addon.versions('magicmind'), { cnrt: '6.0.0', 'mlu-driver': '5.10.0' });
});

test('hbdnn: the documented call sequence, NV12 input, SCALE dequantisation, everything freed', async () => {
  reset('hbdnn');
  const s = new addon.NativeSession('hbdnn', model, { bpu_core: '1', timeout_ms: 500 });
  assert.equal(s.inputs(), [{ name: 'input0', dtype: 'uint8', dims: [1, 3, 224, 224], bytes: 75_264, layout: 'NV12' }]);
  const nv12 = new Uint8Array(75_264);
  nv12[0] = 5;
  const [out] = await s.infer([nv12]);
  // raw class score (c + 5) % 1000, dequantised (x - zero point 2) * scale 0.5
  assert.is(out!.length, 1000);
  assert.is(out![0], (5 - 2) * 0.5);
  assert.is(out![995], (0 - 2) * 0.5);
  s.close();
  assert.equal(trace('hbdnn'), [
    `hbDNNInitializeFromFiles ${model}`,
    'hbDNNGetModelNameList',
    'hbDNNGetModelHandle fake_resnet18_224x224_nv12',
    'hbDNNGetInputCount',
    'hbDNNGetOutputCount',
    'hbDNNGetInputTensorProperties 0',
    'hbSysAllocCachedMem 75264',
    'hbDNNGetOutputTensorProperties 0',
    'hbSysAllocCachedMem 4000',
    'hbSysFlushMem CLEAN',
    'hbDNNInfer core 2 task=null',
    'hbDNNWaitTaskDone 500',
    'hbDNNReleaseTask',
    'hbSysFlushMem INVALIDATE',
    'hbSysFreeMem',
    'hbSysFreeMem',
    'hbDNNRelease',
  ]);
  assert.is(live('hbdnn'), 'live_mem=0 live_tasks=0 live_handles=0');
});

test('hbdnn: SHIFT dequantisation divides by 2^shift', async () => {
  await withEnv({ FAKE_HBDNN_QUANT: 'shift' }, async () => {
    const s = new addon.NativeSession('hbdnn', model, {});
    const [out] = await s.infer([new Uint8Array(75_264)]);
    assert.is(out![10], 10 / 8);
    s.close();
  });
});

test('hbdnn: load failure and task timeout surface with the vendor message; nothing leaks', async () => {
  reset('hbdnn');
  assert.throws(() => new addon.NativeSession('hbdnn', join(dir, 'missing.bin'), {}), /hbDNNInitializeFromFiles\(.*missing\.bin\) failed \(-6000001\): HB_DNN_INVALID_MODEL/);
  await withEnv({ FAKE_HBDNN_HANG: '1' }, async () => {
    const s = new addon.NativeSession('hbdnn', model, { timeout_ms: 30 });
    await s.infer([new Uint8Array(75_264)]).then(
      () => assert.unreachable('a hung task must fail'),
      (e: Error) => assert.match(e.message, /hbDNNWaitTaskDone\(timeout 30 ms\) failed \(-6000023\): HB_DNN_TIMEOUT/),
    );
    s.close();
  });
  assert.is(live('hbdnn'), 'live_mem=0 live_tasks=0 live_handles=0');
});

test('hbdnn: more than 32 tasks in flight is the runtime\'s error, reported as such', async () => {
  await withEnv({ FAKE_HBDNN_LATENCY_US: '20000' }, async () => {
    await addon
      .runDriver({ backend: 'hbdnn', artifact: model, options: {}, threads: 40, warmupSeconds: 0, warmupIterations: 3, minSeconds: 0.1, minIterations: 3, maxSeconds: 5 })
      .then(
        () => assert.unreachable('40 concurrent tasks must hit the limit'),
        (e: Error) => assert.match(e.message, /hbDNNInfer failed \(-6000012\): HB_DNN_TASK_NUM_EXCEED_LIMIT/),
      );
  });
  assert.is(live('hbdnn'), 'live_mem=0 live_tasks=0 live_handles=0');
});

test('magicmind: the documented sequence, runtime-read UINT8 NHWC input, device time from notifiers, all destroyed', async () => {
  reset('magicmind');
  const s = new addon.NativeSession('magicmind', model, { device: 0, batch: 2 });
  assert.equal(s.inputs(), [{ name: 'data', dtype: 'uint8', dims: [2, 224, 224, 3], bytes: 2 * 224 * 224 * 3, layout: 'NHWC' }]);
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
    'IModel::CreateIEngine MLU',
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
    'IContext::Enqueue',
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
  assert.is(live('magicmind'), 'live_mlu=0 live_objects=0 live_queues=0');
});

test('magicmind: the driver reports device compute time beside host latency', async () => {
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
  assert.is(live('magicmind'), 'live_mlu=0 live_objects=0 live_queues=0');
});

test('magicmind: load, enqueue and device errors carry the runtime\'s words; nothing leaks', async () => {
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
  assert.is(live('magicmind'), 'live_mlu=0 live_objects=0 live_queues=0');
});

test.run();
