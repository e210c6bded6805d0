import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classifyNativeError, measureNative } from '../../harness/measure/native.js';
import { loadNative } from '../../harness/targets/native.js';
import { deviceLatencyMs, SIM_PROFILES } from '../../harness/targets/sim-profiles.js';
import { runCli, tempDir, testWhen, writeSuite } from '../helpers.js';

const native = loadNative();
// CI asserts the addon built (.ci/run); a user's clone without a compiler says why and skips.
const nativeTest = testWhen(!!native.addon, native.reason ?? '');
const runLength = { warmupSeconds: 0, warmupIterations: 2, minSeconds: 0.2, minIterations: 50, maxSeconds: 5 };

nativeTest('the sim backend is compiled in and names itself simulated', () => {
  assert.ok(native.addon!.compiledBackends().includes('sim'));
  assert.not.ok('fakeSdkReport' in native.addon!, 'the production addon carries no test hooks');
  assert.match(native.addon!.versions('sim').sim!, /simulated/);
});

nativeTest('driver: per-thread timelines in order, minimums held, no call shorter than the service time', async () => {
  const m = await measureNative({ backend: 'sim', artifact: '', options: { cores: 2, fixed_us: 500 }, batch: 1, threads: 2, runLength });
  assert.is(m.threads.length, 2);
  for (const t of m.threads) {
    assert.ok(t.completed >= 50);
    assert.ok(t.latency.min >= 0.5, `a call took ${t.latency.min} ms, less than the 0.5 ms service time`);
    assert.ok(t.warmupCalls >= 2);
  }
  assert.ok(m.throughput.wallSeconds >= 0.2);
  // Two cores at 0.5 ms can never exceed 4000 calls/s.
  assert.ok(m.throughput.qps <= 4000, `qps ${m.throughput.qps}`);
  assert.ok(m.device && Math.abs(m.device.mean - 0.5) < 1e-9, 'device time is the modelled service time');
});

nativeTest('device time is the model\'s, not the host\'s: with both cores busy its spread is the seeded jitter (CV < 1%)', async () => {
  // Two busy processes take both cores while the sim measures: host latency suffers, device time must not.
  const burners = [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  try {
    const jitter = 0.005;
    const m = await measureNative({ backend: 'sim', artifact: '', options: { cores: 1, fixed_us: 800, jitter, seed: 3, device: 'busy-host' }, batch: 1, threads: 1, runLength: { ...runLength, minIterations: 400 } });
    const n = m.device!.n;
    // The sample CV of n normal draws with relative sd `jitter` lies within 5 standard errors (sd / sqrt(2n)) of it.
    assert.ok(Math.abs(m.device!.cv - jitter) <= (5 * jitter) / Math.sqrt(2 * n), `device CV ${m.device!.cv} over ${n} calls`);
    assert.ok(m.device!.cv < 0.01);
    assert.ok(Math.abs(m.device!.mean - 0.8) <= (5 * jitter * 0.8) / Math.sqrt(n), `device mean ${m.device!.mean}`);
    assert.is(m.blocks.device!.length, 10);
  } finally {
    for (const b of burners) b.kill('SIGKILL');
  }
});

nativeTest('queueing: more threads than cores wait for a core (latency grows, qps does not)', async () => {
  const m = await measureNative({ backend: 'sim', artifact: '', options: { cores: 1, fixed_us: 1000, device: 'queue-test' }, batch: 1, threads: 3, runLength: { ...runLength, minIterations: 20 } });
  // One core, three threads: each call waits for the other two, so it takes at least ~3 ms on average.
  assert.ok(m.pooled.mean >= 2.9, `mean ${m.pooled.mean}`);
  assert.ok(m.throughput.qps <= 1000);
});

nativeTest('cancellation stops every thread after its current call', async () => {
  const c = new AbortController();
  setTimeout(() => c.abort(), 300);
  const t0 = Date.now();
  const m = await measureNative({ backend: 'sim', artifact: '', options: { fixed_us: 1000 }, batch: 1, threads: 2, runLength: { ...runLength, minSeconds: 60, maxSeconds: 120 }, signal: c.signal });
  assert.ok(Date.now() - t0 < 5000);
  assert.ok(m.threads.every((t) => t.stoppedBy === 'stop-request'));
});

nativeTest('backend errors surface with the backend message; a vendor load failure is the user\'s, a sim one the device\'s', async () => {
  assert.is(classifyNativeError('magicmind', 'IModel::DeserializeFromFile(x) failed: cannot deserialize model').name, 'UserError');
  assert.is(classifyNativeError('hbdnn', 'hbDNNInitializeFromFiles failed: invalid model').name, 'UserError');
  assert.is(classifyNativeError('magicmind', 'IContext::Enqueue failed: kernel timeout').name, 'InfraError');
  await measureNative({ backend: 'sim', artifact: '', options: { fail_load: 'bad magic number' }, batch: 1, threads: 2, runLength }).then(
    () => assert.unreachable(),
    (e: Error) => {
      assert.is(e.name, 'InfraError');
      assert.match(e.message, /sim: thread \d: sim: cannot load model: bad magic number/);
    },
  );
  await measureNative({ backend: 'sim', artifact: '', options: { fixed_us: 100, fail_after: 20 }, batch: 1, threads: 1, runLength }).then(
    () => assert.unreachable(),
    (e: Error) => {
      assert.is(e.name, 'InfraError');
      assert.match(e.message, /device error after 20 calls \(injected\)/);
    },
  );
});

nativeTest('single-call infer(): deterministic outputs, input size checked', async () => {
  const s = new native.addon!.NativeSession('sim', '', { batch: 2, fixed_us: 10, input_dims: '3,4,4' });
  assert.equal(s.inputs()[0]!.dims, [2, 3, 4, 4]);
  const input = new Uint8Array(2 * 3 * 4 * 4).map((_, i) => i % 251);
  const [a] = await s.infer([input]);
  const [b] = await s.infer([input]);
  assert.is(a!.length, 2000);
  assert.equal(Array.from(a!), Array.from(b!));
  assert.is(a!.filter((v) => v === 10).length, 2, 'one class per image');
  await s.infer([new Uint8Array(3)]).then(
    () => assert.unreachable(),
    (e: Error) => assert.match(e.message, /input of 3 bytes, expected 96/),
  );
  s.close();
  await s.infer([input]).then(
    () => assert.unreachable(),
    (e: Error) => assert.match(e.message, /session is closed/),
  );
});

test('profiles reproduce the published points they come from', () => {
  const s4int8 = SIM_PROFILES['sim-mlu370-s4']!.qint8_mixed_float16!;
  assert.ok(Math.abs(deviceLatencyMs(s4int8, 8) - (8 / 5782.66) * 1000) < 1e-9);
  assert.ok(Math.abs(deviceLatencyMs(s4int8, 1) - 1000 / 1125.71) < 1e-9);
  const mid = deviceLatencyMs(s4int8, 6);
  assert.ok(mid > deviceLatencyMs(s4int8, 4) && mid < deviceLatencyMs(s4int8, 8), 'interpolated between batch 4 and 8');
  const x5 = SIM_PROFILES['sim-rdk-x5']!.qint8_mixed_float16!;
  assert.ok(Math.abs(deviceLatencyMs(x5, 1) + x5.hostMs - 2.95) < 1e-9, '1 thread: 2.95 ms');
});

nativeTest('a suite runs end to end on the sim targets; every result says simulated', () => {
  const dir = tempDir();
  const suite = writeSuite(
    dir,
    'sim.yaml',
    `name: sim\nmodels: [resnet50-v1-7]\ntargets: [sim-mlu370-s4]\nprecisions: [int8]\nbatch: [1, 8]\nmeasure: { warmup: { duration: 0, iterations: 2 }, minDuration: 200ms, minIterations: 20, maxDuration: 5s }\ninclude: [{ model: resnet18-v1-7, target: sim-rdk-x5, precision: int8, batch: 1, threads: 4 }]\n`,
  );
  const out = join(dir, 'run');
  const r = runCli(['run', suite, '--out', out, '--quiet']);
  assert.is(r.code, 0, r.stderr);
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  assert.is(results.cases.length, 3);
  for (const c of results.cases) {
    assert.is(c.status, 'ok');
    assert.is(c.simulated, true);
    assert.is(c.weights, 'none');
    assert.ok(c.latency.device.mean > 0);
  }
  for (const line of r.stdout.trim().split('\n').slice(1, 4)) assert.match(line, /SIMULATED/);
  const csv = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n').slice(1);
  for (const row of csv) assert.match(row, /,true,none,/);
  const md = readFileSync(join(out, 'report.md'), 'utf8');
  assert.match(md, /\*\*Simulated devices\*\*/);
  for (const row of md.split('\n').filter((l) => l.startsWith('| resnet'))) assert.match(row, /SIMULATED/);
});

test('a sim target refuses a model it has no published profile for', () => {
  const dir = tempDir();
  const suite = writeSuite(dir, 'bad-sim.yaml', `name: bad\nmodels: [mobilenetv2-int8-qdq]\ntargets: [sim-mlu370-x4]\nprecisions: [fp16]\n`);
  const r = runCli(['run', suite]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /models\[0\]: sim-mlu370-x4 simulates only resnet50-v1-7 \(from published figures\)/);
});

test.run();
