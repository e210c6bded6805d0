/** The gate from the command line: run --gate, compare, baseline update, reproduce; exit codes. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadNative } from '../../harness/targets/native.js';
import { deviceLatencyMs, simProfile } from '../../harness/targets/sim-profiles.js';
import { runCli, tempDir, testWhen, writeSuite } from '../helpers.js';

const dir = tempDir('infergate-cli-gate-');
const suite = (name: string, extra = '') => `name: ${name}
models: [resnet18-v1-7]
targets: [sim-rdk-x5]
precisions: [int8]
batch: [1]
threads: [1]
measure: { warmup: { duration: 20ms, iterations: 3 }, minDuration: 300ms, minIterations: 150, maxDuration: 3s }
${extra}
`;
const base = writeSuite(dir, 'gate.yaml', suite('gate'));
const slow = writeSuite(dir, 'slow.yaml', suite('gate', 'native: { sim: { slowdown: 1.25 } }'));
const baseline = join(dir, 'baseline.json');
const simTest = testWhen(!!loadNative().addon, 'the native addon (sim backend) did not build');

const noStack = (text: string) => assert.not.match(text, /\n\s+at .+:\d+:\d+/);

simTest('run, baseline update, run --gate: pass; a 25% slowdown: exit 1 with verdicts in every report', () => {
  const first = runCli(['run', base, '-o', join(dir, 'a'), '--quiet']);
  assert.is(first.code, 0, first.stderr);
  // --accept-noisy (issue 16): this test is about the gate's workflow, and host timing on a busy
  // test machine can flag outliers; the refusal itself is tested below.
  const update = runCli(['baseline', 'update', join(dir, 'a'), '--to', baseline, '--accept-noisy']);
  assert.is(update.code, 0, update.stderr);
  assert.match(update.stderr, /SIMULATED baseline/);
  const b = JSON.parse(readFileSync(baseline, 'utf8'));
  assert.ok(b.simulated);
  // Device time joined the baseline's metrics with issue 16 (the sim reports it).
  assert.equal(b.entries.map((e: { metric: string }) => e.metric).sort(), ['device.mean', 'device.p99', 'latency.mean', 'latency.p99', 'qps']);
  assert.is(b.entries.find((e: { metric: string }) => e.metric === 'qps').blocks.length, 10);
  assert.is(b.entries.find((e: { metric: string }) => e.metric === 'device.mean').blocks.length, 10);

  const summaryFile = join(dir, 'step-summary.md');
  const again = runCli(['run', base, '-o', join(dir, 'b'), '--quiet', '--gate', '--baseline', baseline], { env: { GITHUB_STEP_SUMMARY: summaryFile } });
  assert.is(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, /verdict/);
  assert.match(again.stdout, /gate: 5 pass/);
  assert.match(readFileSync(summaryFile, 'utf8'), /gate passed/);
  for (const f of ['results.json', 'results.csv', 'report.md', 'summary.md', 'junit.xml']) assert.ok(existsSync(join(dir, 'b', f)), f);

  const regressed = runCli(['run', slow, '-o', join(dir, 'c'), '--quiet', '--gate', '--baseline', baseline, '--confirm', '1']);
  assert.is(regressed.code, 1, regressed.stdout + regressed.stderr);
  assert.match(regressed.stdout, /regressed .*qps/);
  assert.match(regressed.stdout, /environment vs measured: run gate-/);
  const results = JSON.parse(readFileSync(join(dir, 'c', 'results.json'), 'utf8'));
  assert.ok(results.gate.verdicts.some((v: { verdict: string }) => v.verdict === 'regressed'));
  // The confirming re-measurement happened, and says so.
  assert.ok(results.cases[0].notes.some((n: string) => n.startsWith('re-measured (1 of 1)')));
  assert.match(readFileSync(join(dir, 'c', 'junit.xml'), 'utf8'), /<failure type="regressed"/);
  assert.match(readFileSync(join(dir, 'c', 'results.csv'), 'utf8'), /,regressed,regressed,/);
  assert.match(readFileSync(join(dir, 'c', 'report.md'), 'utf8'), /## Gate against baselines/);
});

simTest('compare: exit 1 on a regression, 0 when nothing fails the gate, files beside the run', () => {
  const c = runCli(['compare', join(dir, 'c'), '--baseline', baseline]);
  assert.is(c.code, 1, c.stderr);
  assert.match(c.stdout, /gate: .*regressed/);
  for (const f of ['comparison.json', 'comparison.csv', 'comparison.md', 'summary.md', 'junit.xml']) assert.ok(existsSync(join(dir, 'c', f)), f);
  // A looser threshold turns the same figures into a pass.
  // (device.mean and device.p99 are gated too since issue 16, so they are loosened as well)
  const loose = runCli(['compare', join(dir, 'c', 'results.json'), '--baseline', baseline, ...['qps=50%', 'latency.mean=50%', 'latency.p99=1000%', 'device.mean=50%', 'device.p99=1000%'].flatMap((t) => ['--threshold', t])]);
  assert.is(loose.code, 0, loose.stdout);
  const json = runCli(['compare', join(dir, 'b'), '--baseline', baseline, '--json']);
  assert.is(json.code, 0);
  assert.equal(Object.keys(JSON.parse(json.stdout).counts).sort(), ['improved', 'inconclusive', 'invalid', 'missing', 'pass', 'regressed']);
});

simTest('reproduce: a published table with the simulated measurement beside it, within the sim model\'s bounds', () => {
  const r = runCli(['reproduce', 'rdk-x5-resnet18', '--results', join(dir, 'a')]);
  assert.is(r.code, 0, r.stderr);
  // published | vendor tool | tool/published | infergate | infergate/published (no vendor tool ran here)
  const row = /latency, 1 thread\s+2\.950 ms\s+-\s+-\s+(\d+\.\d{3}) ms SIMULATED\s+(\d+\.\d{3})/.exec(r.stdout);
  assert.ok(row, r.stdout);
  const [measured, ratio] = [Number(row![1]), Number(row![2])];
  // The row shows what the run measured, and the ratio is measured / published.
  const a = JSON.parse(readFileSync(join(dir, 'a', 'results.json'), 'utf8')).cases[0];
  assert.is(measured.toFixed(3), a.latency.pooled.mean.toFixed(3));
  assert.ok(Math.abs(ratio - measured / 2.95) <= 0.0006, `${ratio} vs ${measured} / 2.95`);
  // The model: each call holds the device for 1000/448.79 ms (seeded jitter, relative sd
  // profile.jitter) after 0.722 ms of host time, so no mean can come in under 2.95 ms by more
  // than 4 standard errors; a busy host only adds to it. The device time is the model's alone.
  const profile = simProfile('sim-rdk-x5', 'qint8_mixed_float16')!;
  const device = deviceLatencyMs(profile, 1);
  const se = (n: number) => (4 * profile.jitter * device) / Math.sqrt(n);
  assert.ok(measured >= profile.hostMs + device - se(a.latency.pooled.n) - 0.0005, `${measured} ms under the model's ${profile.hostMs + device} ms`);
  assert.ok(Math.abs(a.latency.device.mean - device) <= se(a.latency.device.n) + 0.0005, `device ${a.latency.device.mean} ms vs the model's ${device} ms`);
  assert.match(r.stdout, /FPS, 4 threads\s+448\.79 img\/s\s+-\s+-\s+not measured/);
  const md = runCli(['reproduce', 'rdk-x5-resnet18', '--results', join(dir, 'a'), '--markdown']);
  assert.match(md.stdout, /\| latency, 1 thread \| 2\.950 ms \|/);
});

simTest('issue 16: a noisy baseline is refused; against a clean pooled one a 10% slower device is regressed on device time and latency, exit 1', () => {
  const mlu = (extra: string) => `name: scenario
models: [resnet50-v1-7]
targets: [sim-mlu370-s4]
precisions: [fp32]
batch: [1]
threads: [1]
measure: { warmup: { duration: 20ms, iterations: 3 }, minDuration: 800ms, minIterations: 150, maxDuration: 5s }
${extra}
`;
  const id = 'resnet50-v1-7/sim-mlu370-s4/force_float32/b1/t1';
  const file = join(dir, 'scenario.json');
  // A 30% service-time jitter stands in for a busy machine: the run's own checks flag it.
  const noisy = runCli(['run', writeSuite(dir, 'noisy.yaml', mlu('native: { sim: { jitter: 0.3 } }')), '-o', join(dir, 'noisy'), '--quiet']);
  assert.is(noisy.code, 0, noisy.stderr);
  const refused = runCli(['baseline', 'update', join(dir, 'noisy'), '--to', file]);
  assert.is(refused.code, 2, refused.stderr);
  assert.ok(refused.stderr.includes(`${id}: noisy measurement, not a baseline (host timing: qps and latency): high-cv`), refused.stderr);
  assert.ok(refused.stderr.includes(`${id}: noisy device time, not a baseline: high-cv`), refused.stderr);
  assert.match(refused.stderr, /--accept-noisy/);
  noStack(refused.stderr);
  assert.not.ok(existsSync(file));

  const clean = writeSuite(dir, 'clean.yaml', mlu(''));
  for (const run of ['q1', 'q2']) assert.is(runCli(['run', clean, '-o', join(dir, run), '--quiet']).code, 0);
  const pooled = runCli(['baseline', 'update', join(dir, 'q1'), join(dir, 'q2'), '--to', file]);
  assert.is(pooled.code, 0, pooled.stderr);
  assert.match(pooled.stderr, /from 2 runs pooled/);
  const entries = JSON.parse(readFileSync(file, 'utf8')).entries as { metric: string; blocks: number[]; runValues: number[] }[];
  const entry = entries.find((e) => e.metric === 'device.mean')!;
  assert.is(entry.blocks.length, 20);
  assert.is(entry.runValues.length, 2);
  // The device's time is its model's, so it always makes a baseline; host timing does only when
  // this (shared) machine was quiet enough, and says why not otherwise.
  const hostClean = entries.some((e) => e.metric === 'latency.mean');
  if (!hostClean) assert.match(pooled.stderr, /refused .*noisy measurement, not a baseline \(host timing: qps and latency\)/);

  const slow = writeSuite(dir, 'slow10.yaml', mlu('native: { sim: { slowdown: 1.10 } }'));
  const gated = runCli(['run', slow, '-o', join(dir, 'slow10'), '--quiet', '--gate', '--baseline', file, '--confirm', '1']);
  assert.is(gated.code, 1, gated.stdout + gated.stderr);
  const verdicts = JSON.parse(readFileSync(join(dir, 'slow10', 'results.json'), 'utf8')).gate.verdicts as { metric: string; verdict: string; change: number; reason: string }[];
  const of = (m: string) => verdicts.find((v) => v.metric === m);
  assert.is(of('device.mean')!.verdict, 'regressed');
  // Without a host baseline there is no host verdict at all; the device's decides.
  assert.is(of('latency.mean')?.verdict, hostClean ? 'regressed' : undefined);
  // The sim's device time is its model's: exactly 10% slower, up to the seeded jitter's standard error.
  assert.ok(Math.abs(of('device.mean')!.change - 0.1) < 0.005, String(of('device.mean')!.change));
  assert.match(of('device.mean')!.reason, /^mean device time: 20 baseline blocks from 2 runs of \d+ calls against 10 blocks of \d+ calls now; the slower blocks overlap the baseline's less than chance allows \(Mann-Whitney p = \S+\); \+\d+\.\d% beyond the 3% threshold/);
  assert.match(readFileSync(join(dir, 'slow10', 'results.csv'), 'utf8').split('\n')[1]!, /,regressed,/);
});

test('user errors exit 2 naming the file and field, never a stack trace', () => {
  const badBaseline = join(dir, 'bad-baseline.json');
  writeFileSync(badBaseline, JSON.stringify({ schemaVersion: 7, entries: [] }));
  const cases: [string[], RegExp][] = [
    [['compare', join(dir, 'nowhere'), '--baseline', baseline], /results .*nowhere.*cannot read it/],
    [['run', base, '--gate', '--baseline', badBaseline], /bad-baseline\.json schemaVersion: 7 is newer/],
    [['run', base, '--baseline', baseline], /take effect with --gate/],
    [['run', base, '--gate', '--baseline', baseline, '--threshold', 'speed=3%'], /--threshold speed=3%: expected METRIC=VALUE/],
    [['run', base, '--gate', '--baseline', baseline, '--fail-on', 'bad'], /--fail-on bad: expected a comma-separated list/],
    [['reproduce', 'no-such-table'], /unknown table 'no-such-table' \(known: magicmind-resnet50-mlu370, rdk-x5-resnet18\)/],
  ];
  for (const [args, message] of cases) {
    const r = runCli(args);
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    noStack(r.stderr);
  }
});

simTest('baseline update refuses to put simulated results into a hardware baseline (exit 2)', () => {
  const hardware = join(dir, 'hardware.json');
  writeFileSync(hardware, JSON.stringify({ schemaVersion: 1, name: 'hw', simulated: false, provenance: { type: 'measured', runs: [{ runId: 'r', date: 'd', suite: 's', env: {} }] }, entries: [] }));
  const r = runCli(['baseline', 'update', join(dir, 'a'), '--to', hardware]);
  assert.is(r.code, 2, r.stderr);
  assert.match(r.stderr, /SIMULATED result never goes into a hardware baseline/);
  noStack(r.stderr);
});

test.run();
