/**
 * Telemetry on this machine, through the CLI: the real host sampler beside every measurement
 * (CPU utilisation per core, other processes' share, RSS; cpufreq and temperatures where the
 * machine has them, else from a sysfs fixture root), cut to the measured window, in results.json,
 * the terminal table and report.html; and off with `measure.telemetry: false`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunResults } from '../../harness/core/index.js';
import { ROOT, runCli, tempDir, writeSuite, writeTinyModel } from '../helpers.js';

const dir = tempDir('infergate-telemetry-');
writeTinyModel(dir);

function suite(name: string, measure: string): string {
  return writeSuite(dir, `${name}.yaml`, `name: ${name}\nmodels: [./tiny.onnx]\ntargets: [ort-cpu]\nbatch: [1]\nthreads: [1, 2]\nmeasure: ${measure}\n`);
}
const resultsOf = (out: string): RunResults => JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));

test('the host sampler runs during the measured window only: per-core CPU, other processes, RSS in results, file, terminal and report', () => {
  // A long warm-up and a short window: any warm-up sample would sit at a negative time.
  const out = join(dir, 'run-host');
  const r = runCli(['run', suite('host', '{ warmup: { duration: 1s, iterations: 2 }, minDuration: 1s, minIterations: 5, telemetry: { interval: 100ms } }'), '--out', out], { cwd: dir });
  assert.is(r.code, 0, r.stderr);
  for (const c of resultsOf(out).cases) {
    const t = c.telemetry!;
    assert.is(t.intervalMs, 100);
    assert.equal(t.sources.map((s) => [s.id, s.status]), [['host', 'ok']]);
    const util = t.metrics.find((m) => m.metric === 'cpu.util' && m.device === 'all')!;
    assert.ok(util.n >= 3, `${c.id}: ${util.n} samples in ~1 s at 100 ms`);
    assert.ok(util.min >= 0 && util.max <= 100);
    assert.ok(t.metrics.some((m) => m.metric === 'cpu.util' && m.device === 'cpu0'));
    assert.ok(t.metrics.some((m) => m.metric === 'cpu.others'));
    assert.ok(t.metrics.find((m) => m.metric === 'rss')!.min > 10, 'RSS of a process with onnxruntime loaded');
    const file = JSON.parse(readFileSync(join(out, t.file!), 'utf8'));
    assert.is(file.id, c.id);
    const times = file.series.flatMap((s: { t: number[] }) => s.t);
    assert.ok(Math.min(...times) >= 0, 'no sample from the warm-up');
    assert.ok(Math.max(...times) <= t.windowSeconds + 0.2);
    assert.ok(file.latency.calls.reduce((a: number, b: number) => a + b, 0) === c.throughput!.completed, 'every measured call in the latency series');
  }
  assert.match(r.stdout, /telemetry\s+labels/);
  assert.match(r.stdout, /cpu \d+% \(others \d+%\), .*rss \d+ MiB/);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.match(html, /<h2 id="telemetry">/);
  assert.match(html, /data-chart="telemetry--tiny-onnx-ort-cpu-force-float32-b1-t2"[^>]*><svg/);
});

test('cpufreq and temperatures from a sysfs fixture root (for VMs without them), said in the results', () => {
  const out = join(dir, 'run-fixture');
  const root = join(ROOT, 'test', 'fixtures', 'sysfs', 'host-cpufreq');
  const r = runCli(['run', suite('fixture', '{ warmup: { duration: 0.1s, iterations: 2 }, minDuration: 1s, minIterations: 5, telemetry: { interval: 100ms } }'), '--out', out], { cwd: dir, env: { INFERGATE_SYSFS_ROOT: root } });
  assert.is(r.code, 0, r.stderr);
  const t = resultsOf(out).cases[0]!.telemetry!;
  assert.is(t.fixtureRoot, root);
  const cpu0 = t.metrics.find((m) => m.metric === 'cpu.freq' && m.device === 'cpu0')!;
  assert.equal([cpu0.min, cpu0.max, cpu0.ceiling], [2400, 2400, 3000]);
  assert.equal(t.metrics.filter((m) => m.metric === 'temp').map((m) => [m.device, m.mean]), [['coretemp/Package id 0', 54], ['x86_pkg_temp', 55]]);
  assert.match(r.stdout, /2\.70 GHz/); // the mean of cpu0 (2400) and cpu1 (3000)
  assert.match(readFileSync(join(out, 'report.html'), 'utf8'), /test fixture root/);
});

test('measure.telemetry: false measures without telemetry', () => {
  const out = join(dir, 'run-off');
  const r = runCli(['run', suite('off', '{ warmup: { duration: 0.1s, iterations: 2 }, minDuration: 0.3s, minIterations: 5, telemetry: false }'), '--out', out], { cwd: dir });
  assert.is(r.code, 0, r.stderr);
  for (const c of resultsOf(out).cases) assert.is(c.telemetry, undefined);
  assert.not.ok(existsSync(join(out, 'telemetry')));
  assert.not.match(r.stdout, /telemetry/);
});

test.run();
