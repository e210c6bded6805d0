import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli, tempDir, writeSuite, writeTinyModel } from '../helpers.js';

const dir = tempDir();
const tiny = writeTinyModel(dir);
const FAST = 'measure: { warmup: { duration: 0, iterations: 1 }, minDuration: 200ms, minIterations: 5, maxDuration: 5s }\n';

function noStack(text: string): void {
  assert.not.match(text, /\n\s+at .+:\d+:\d+\)?\n/, 'no stack trace');
}

test('--help lists the commands and the exit codes', () => {
  const r = runCli(['--help']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /run \[options\] \[suite\]/);
  assert.match(r.stdout, /doctor/);
  assert.match(r.stdout, /2\s+bad input/);
  assert.match(r.stdout, /3\s+infrastructure failure/);
});

test('each command\'s --help: its own exit codes and examples, not the gate\'s on every command', () => {
  const list = runCli(['list', '--help']);
  assert.is(list.code, 0);
  assert.match(list.stdout, /Exit codes:\n  0 +success\n  2 +an unknown section/);
  assert.match(list.stdout, /Examples:\n  \$ infergate list targets/);
  assert.not.match(list.stdout, /regression/);
  const run = runCli(['run', '--help']);
  assert.match(run.stdout, /130\/143/);
  assert.match(run.stdout, /--export <format\[=path\]>/);
  assert.ok((run.stdout.match(/\n  \$ infergate run/g) ?? []).length >= 2, 'two or three examples');
  const doctor = runCli(['doctor', '--help']);
  assert.not.match(doctor.stdout, /--fail-on/);
  assert.match(doctor.stdout, /3 +a required check failed/);
});

test('a bad suite: one paragraph naming file, line:col and field, exit 2, no stack', () => {
  const suite = writeSuite(dir, 'bad.yaml', 'name: bad\nmodels: [resnet18-v1-7]\ntargets: [ort-cpu, mlu380]\n');
  const r = runCli(['run', suite]);
  assert.is(r.code, 2);
  assert.match(r.stderr, /bad\.yaml:3:20 targets\[1\]: unknown target 'mlu380'/);
  assert.not.match(r.stderr.trim(), /\n\n/, 'one paragraph');
  noStack(r.stderr);
});

test('a missing suite file and an unknown option exit 2', () => {
  const missing = runCli(['run', join(dir, 'nope.yaml')]);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /cannot read suite .*nope\.yaml: no such file/);
  noStack(missing.stderr);
  const opt = runCli(['run', '--frobnicate']);
  assert.is(opt.code, 2);
  assert.match(opt.stderr, /unknown option '--frobnicate'/);
});

test('a run writes results.json, results.csv, report.md and prints the table; exit 0', () => {
  const suite = writeSuite(dir, 'tiny.yaml', `name: tiny\nmodels: [tiny.onnx]\ntargets: [ort-cpu]\nbatch: [1, 2]\nthreads: [1, 2]\n${FAST}`);
  const out = join(dir, 'run-tiny');
  const r = runCli(['run', suite, '--out', out, '--quiet']);
  assert.is(r.code, 0, r.stderr);
  for (const f of ['results.json', 'results.csv', 'report.md', 'suite.yaml']) assert.ok(existsSync(join(out, f)), f);
  const results = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
  assert.is(results.schemaVersion, 1);
  assert.is(results.cases.length, 4);
  for (const c of results.cases) {
    assert.is(c.status, 'ok');
    assert.is(c.simulated, false);
    assert.is(c.weights, 'real');
    assert.ok(c.throughput.qps > 0);
    assert.is(c.latency.perThread.length, c.key.threads);
    // qps obeys the definition: completed x batch / wall
    assert.ok(Math.abs(c.throughput.qps - (c.throughput.completed * c.key.batch) / c.throughput.wallSeconds) < 1e-6);
    const samples = JSON.parse(readFileSync(join(out, c.samplesFile), 'utf8'));
    assert.is(samples.threads.length, c.key.threads);
    assert.is(samples.threads.flat().length, c.throughput.completed);
  }
  assert.ok(results.env.cpu.logicalCores >= 1);
  assert.ok(results.env.runtimes['onnxruntime-node']);
  assert.match(r.stdout, /tiny\.onnx ort-cpu force_float32 b2 t2\s+ok/);
  assert.not.match(r.stdout, /\x1b\[/, 'plain output when not a TTY');
  const csv = readFileSync(join(out, 'results.csv'), 'utf8').trim().split('\n');
  assert.is(csv.length, 5);
  // Headers carry units since the CSV export gained them (qps -> qps_img_per_s).
  assert.match(csv[0]!, /^run_id,suite,case_id,model,target,precision,batch,threads,status,simulated,weights,valid,qps_img_per_s,/);
  assert.ok(existsSync(join(out, 'report.html')), 'report.html');
});

test('--json prints the results object', () => {
  const suite = writeSuite(dir, 'one.yaml', `name: one\nmodels: [tiny.onnx]\ntargets: [ort-cpu]\n${FAST}`);
  const r = runCli(['run', suite, '--out', join(dir, 'run-one'), '--json', '--quiet']);
  assert.is(r.code, 0, r.stderr);
  assert.is(JSON.parse(r.stdout).cases[0].status, 'ok');
});

test('an unavailable target exits 3 before measuring; --allow-unavailable records it', () => {
  const suite = writeSuite(dir, 'sim.yaml', `name: sim\nmodels: [tiny.onnx]\ntargets: [ort-cpu, rdk-x5]\nprecisions: [int8]\n${FAST}exclude: [{ target: ort-cpu }]\ninclude: [{ model: tiny.onnx, target: ort-cpu, batch: 1, threads: 1 }]\n`);
  const r = runCli(['run', suite, '--out', join(dir, 'run-sim')]);
  assert.is(r.code, 3);
  assert.match(r.stderr, /not available on this machine: rdk-x5/);
  assert.match(r.stderr, /--allow-unavailable/);
  noStack(r.stderr);
  const allowed = runCli(['run', suite, '--out', join(dir, 'run-sim2'), '--allow-unavailable', '--quiet']);
  assert.is(allowed.code, 0, allowed.stderr);
  const results = JSON.parse(readFileSync(join(dir, 'run-sim2', 'results.json'), 'utf8'));
  assert.equal(results.cases.map((c: { status: string }) => c.status).sort(), ['ok', 'unavailable']);
});

test('a corrupt model file fails its case as bad input: exit 2, other cases still run', () => {
  writeFileSync(join(dir, 'broken.onnx'), Buffer.from('not a protobuf at all'));
  const suite = writeSuite(dir, 'broken.yaml', `name: broken\nmodels: [broken.onnx, tiny.onnx]\ntargets: [ort-cpu]\n${FAST}`);
  const r = runCli(['run', suite, '--out', join(dir, 'run-broken'), '--quiet']);
  assert.is(r.code, 2);
  const results = JSON.parse(readFileSync(join(dir, 'run-broken', 'results.json'), 'utf8'));
  assert.is(results.cases[0].status, 'failed');
  assert.is(results.cases[0].error.kind, 'bad-input');
  assert.is(results.cases[1].status, 'ok');
  noStack(r.stderr);
});

test('a synthetic-weight model runs for timing and every report says so', () => {
  const suite = writeSuite(dir, 'fixed.yaml', `name: fixed\nmodels: [resnet18-v1-7@synthetic]\ntargets: [ort-cpu]\nbatch: [2]\n${FAST}`);
  const r = runCli(['run', suite, '--out', join(dir, 'run-fixed'), '--quiet']);
  assert.is(r.code, 0, r.stderr);
  const results = JSON.parse(readFileSync(join(dir, 'run-fixed', 'results.json'), 'utf8'));
  assert.is(results.cases[0].weights, 'synthetic');
  assert.match(readFileSync(join(dir, 'run-fixed', 'report.md'), 'utf8'), /synthetic weights/);
});

test('doctor reports onnxruntime working and each target with a reason', () => {
  const r = runCli(['doctor']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /ok\s+onnxruntime-node: .*runs a graph/);
  assert.match(r.stdout, /ok\s+sharp: \d+\.\d+\.\d+ loads/);
  assert.match(r.stdout, /ok\s+ort-cpu/);
  assert.match(r.stdout, /no\s+mlu370-s4: .*MagicMind/);
  const json = JSON.parse(runCli(['doctor', '--json']).stdout);
  assert.ok(json.targets.find((t: { id: string }) => t.id === 'sim-rdk-x5').simulated);
  assert.match(r.stdout, /status: (ok|degraded)/);
});

test('list shows targets, models and suites', () => {
  const r = runCli(['list']);
  assert.is(r.code, 0);
  assert.match(r.stdout, /sim-mlu370-s4\s+SIMULATED/);
  assert.not.match(r.stdout, /SIMULATED SIMULATED/);
  assert.match(r.stdout, /resnet50-v1-7@synthetic/);
  assert.match(r.stdout, /quickstart\.yaml/);
  assert.is(runCli(['list', 'gadgets']).code, 2);
});

test.run();
