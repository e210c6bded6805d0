/** The gate from the command line: run --gate, compare, baseline update, reproduce; exit codes. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadNative } from '../../harness/targets/native.js';
import { runCli, tempDir, testWhen, writeSuite } from '../helpers.js';

const dir = tempDir('infergate-cli-gate-');
const suite = (name: string, extra = '') => `name: ${name}
models: [resnet18-v1-7]
targets: [sim-rdk-x5]
precisions: [int8]
batch: [1]
threads: [1]
measure: { warmup: { duration: 20ms, iterations: 3 }, minDuration: 300ms, minIterations: 60, maxDuration: 3s }
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
  const update = runCli(['baseline', 'update', join(dir, 'a'), '--to', baseline]);
  assert.is(update.code, 0, update.stderr);
  assert.match(update.stderr, /SIMULATED baseline/);
  const b = JSON.parse(readFileSync(baseline, 'utf8'));
  assert.ok(b.simulated);
  assert.equal(b.entries.map((e: { metric: string }) => e.metric).sort(), ['latency.mean', 'latency.p99', 'qps']);
  assert.is(b.entries.find((e: { metric: string }) => e.metric === 'qps').blocks.length, 10);

  const summaryFile = join(dir, 'step-summary.md');
  const again = runCli(['run', base, '-o', join(dir, 'b'), '--quiet', '--gate', '--baseline', baseline], { env: { GITHUB_STEP_SUMMARY: summaryFile } });
  assert.is(again.code, 0, again.stdout + again.stderr);
  assert.match(again.stdout, /verdict/);
  assert.match(again.stdout, /gate: 3 pass/);
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
  const loose = runCli(['compare', join(dir, 'c', 'results.json'), '--baseline', baseline, '--threshold', 'qps=50%', '--threshold', 'latency.mean=50%', '--threshold', 'latency.p99=1000%']);
  assert.is(loose.code, 0, loose.stdout);
  const json = runCli(['compare', join(dir, 'b'), '--baseline', baseline, '--json']);
  assert.is(json.code, 0);
  assert.equal(Object.keys(JSON.parse(json.stdout).counts).sort(), ['improved', 'inconclusive', 'invalid', 'missing', 'pass', 'regressed']);
});

simTest('reproduce: a published table with the simulated measurement beside it', () => {
  const r = runCli(['reproduce', 'rdk-x5-resnet18', '--results', join(dir, 'a')]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /latency, 1 thread\s+2\.950 ms\s+2\.9\d\d ms SIMULATED\s+1\.0\d\d/);
  assert.match(r.stdout, /FPS, 4 threads\s+448\.79 img\/s\s+not measured/);
  const md = runCli(['reproduce', 'rdk-x5-resnet18', '--results', join(dir, 'a'), '--markdown']);
  assert.match(md.stdout, /\| latency, 1 thread \| 2\.950 ms \|/);
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
