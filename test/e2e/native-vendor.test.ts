/**
 * The hbDNN backend, compiled against our fake SDKs (test/fake-sdk; never part of a production
 * build) and exercised: the documented call order, every allocation freed, vendor messages
 * surfacing unchanged, dequantisation, memory that follows alignedShape, the 32-task limit.
 * MagicMind: native-vendor-magicmind.test.ts; the fakes' header layout: native-vendor-headers.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { addon, dir, live, model, reset, trace, withEnv } from './fake-sdk-addon.js';

test('both vendor backends are compiled into the fake-SDK build (and only there)', () => {
  assert.equal(addon.compiledBackends().sort(), ['hbdnn', 'magicmind', 'sim']);
  assert.match(addon.versions('hbdnn').libdnn!, /fake-libdnn/);
  assert.equal(addon.versions('magicmind'), { cnrt: '6.0.0', 'mlu-driver': '5.10.0' });
});

test('hbdnn: the documented call sequence, NV12 input, SCALE dequantisation, everything freed', async () => {
  reset('hbdnn');
  const s = new addon.NativeSession('hbdnn', model, { bpu_core: '1', timeout_ms: 500 });
  assert.equal(s.inputs(), [{ name: 'input0', dtype: 'uint8', dims: [1, 3, 224, 224], bytes: 75_264, layout: 'NV12', mutableBatch: false }]);
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
    'hbDNNInfer core 2 task=null input=valid',
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

test('hbdnn: an int16 output (S16, per-channel SCALE) is read two bytes per element and dequantised', async () => {
  await withEnv({ FAKE_HBDNN_QUANT: 'int16' }, async () => {
    reset('hbdnn');
    const s = new addon.NativeSession('hbdnn', model, {});
    const nv12 = new Uint8Array(75_264);
    nv12[0] = 5;
    const [out] = await s.infer([nv12]);
    // raw class score (c + 5) % 1000 as int16, dequantised (x - zero point 2) * scale 0.5
    assert.is(out!.length, 1000);
    assert.equal([out![0], out![7], out![994], out![995]], [(5 - 2) * 0.5, (12 - 2) * 0.5, (999 - 2) * 0.5, (0 - 2) * 0.5]);
    s.close();
    assert.ok(trace('hbdnn').includes('hbSysAllocCachedMem 2000'), 'the output buffer is the int16 tensor\'s 2000 bytes');
    assert.is(live('hbdnn'), 'live_mem=0 live_tasks=0 live_handles=0');
  });
});

test('hbdnn: load failure and task timeout surface with the vendor message; nothing leaks', async () => {
  reset('hbdnn');
  assert.throws(() => new addon.NativeSession('hbdnn', join(dir, 'missing.bin'), {}), /hbDNNInitializeFromFiles\(.*missing\.bin\) failed \(-6000006\): HB_DNN_CAN_NOT_OPEN_FILE/);
  await withEnv({ FAKE_HBDNN_HANG: '1' }, async () => {
    const s = new addon.NativeSession('hbdnn', model, { timeout_ms: 30 });
    await s.infer([new Uint8Array(75_264)]).then(
      () => assert.unreachable('a hung task must fail'),
      (e: Error) => assert.match(e.message, /hbDNNWaitTaskDone\(timeout 30 ms\) failed \(-6000008\): HB_DNN_TIMEOUT/),
    );
    s.close();
  });
  assert.is(live('hbdnn'), 'live_mem=0 live_tasks=0 live_handles=0');
});

test('hbdnn: memory follows alignedShape: NV12 220 wide in 224-byte rows in, int8 in 16-byte slots out', async () => {
  await withEnv({ FAKE_HBDNN_MODEL: 'aligned' }, async () => {
    reset('hbdnn');
    const s = new addon.NativeSession('hbdnn', model, {});
    // Compact NV12 (validShape): the backend sets alignedShape = validShape and the library pads.
    assert.equal(s.inputs(), [{ name: 'input0', dtype: 'uint8', dims: [1, 3, 220, 220], bytes: 220 * 220 * 1.5, layout: 'NV12', mutableBatch: false }]);
    const nv12 = new Uint8Array(220 * 220 * 1.5);
    nv12[219 * 220 + 219] = 10; // the last Y pixel
    nv12[220 * 220 + 109 * 220 + 219] = 20; // the last V sample (U,V interleaved)
    const [out] = await s.infer([nv12]);
    // the fake network: int8 (c + lastY + lastV) % 128 per class, dequantised (x - 2) * 0.5
    assert.is(out!.length, 1000);
    for (const c of [0, 1, 97, 98, 999]) assert.is(out![c], (((c + 30) % 128) - 2) * 0.5, `class ${c}`);
    s.close();
    const t = trace('hbdnn');
    assert.ok(t.includes('hbDNNInfer core 0 task=null input=valid'), t.join('\n'));
    assert.ok(t.includes('hbSysAllocCachedMem 73920') && t.includes('hbSysAllocCachedMem 16000'), 'memory sized by alignedByteSize');
  });
  assert.is(live('hbdnn'), 'live_mem=0 live_tasks=0 live_handles=0');
});

test('hbdnn: more than 32 tasks in flight is the runtime\'s error, reported as such', async () => {
  await withEnv({ FAKE_HBDNN_LATENCY_US: '20000' }, async () => {
    await addon
      .runDriver({ backend: 'hbdnn', artifact: model, options: {}, threads: 40, warmupSeconds: 0, warmupIterations: 3, minSeconds: 0.1, minIterations: 3, maxSeconds: 5 })
      .then(
        () => assert.unreachable('40 concurrent tasks must hit the limit'),
        (e: Error) => assert.match(e.message, /hbDNNInfer failed \(-6000009\): HB_DNN_TASK_NUM_EXCEED_LIMIT/),
      );
  });
  assert.is(live('hbdnn'), 'live_mem=0 live_tasks=0 live_handles=0');
});

test.run();
