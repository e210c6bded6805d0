/**
 * `infergate history` over real simulated-device runs kept in a results store: 12 nights, a
 * slowdown of 1.08 on one case and a new sim version from night 7 (the upgrade that came with it)
 * must give exactly one step, at night 7, on that case only, naming the run and the change.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { MetricId } from '../../harness/core/index.js';
import { UserError } from '../../harness/errors.js';
import { readHistory } from '../../harness/history/read.js';
import { readHistoryParallel } from '../../harness/history/read-parallel.js';
import { loadNative } from '../../harness/targets/native.js';
import { boardKeys, simLikeNight, writeNight } from '../../scripts/history-fixtures.js';
import { runCli, tempDir, testWhen, writeSuite } from '../helpers.js';

const dir = tempDir('infergate-history-e2e-');
const store = join(dir, 'store');
const simTest = testWhen(!!loadNative().addon, 'the native addon (sim backend) did not build');
const suite = (slowdown: number) => `name: nightly
models: [resnet18-v1-7]
targets: [sim-rdk-x5]
precisions: [int8]
batch: [1]
threads: [3]
measure: { warmup: { duration: 20ms, iterations: 3 }, minDuration: 300ms, minIterations: 60, maxDuration: 3s }
include:
  - { model: resnet18-v1-7, target: sim-rdk-x5, precision: int8, batch: 1, threads: 2, sim: { slowdown: ${slowdown} } }
`;
const before = writeSuite(dir, 'before.yaml', suite(1));
const after = writeSuite(dir, 'after.yaml', suite(1.08));
// Both cases keep the simulated device busy (more threads than its one core), so their qps is the
// device's service rate: a slow spell of this shared test machine moves host-bound cases, not these.
const T1 = 'resnet18-v1-7/sim-rdk-x5/qint8_mixed_float16/b1/t3';
const T2 = 'resnet18-v1-7/sim-rdk-x5/qint8_mixed_float16/b1/t2';
const noStack = (text: string) => assert.not.match(text, /\n\s+at .+:\d+:\d+/);
const nights: string[] = [];

interface Series {
  caseId: string;
  metric: string;
  points: { runId: string }[];
  steps: { index: number; runId: string; direction: string; envChanges: { field: string; before?: string; after?: string }[] }[];
}

simTest('12 sim nights into a results store (--results-dir and INFERGATE_RESULTS): <machine class>/<run id>/', () => {
  for (let night = 1; night <= 12; night++) {
    // Half the nights name the store by flag, half by variable: both lead to the same layout.
    const viaFlag = night % 2 === 1;
    const r = runCli(['run', night >= 7 ? after : before, '--quiet', ...(viaFlag ? ['--results-dir', store] : [])], { env: { INFERGATE_RESULTS: viaFlag ? undefined : store } });
    assert.is(r.code, 0, r.stderr);
    const written = /wrote (\S+)\//.exec(r.stderr)![1]!;
    assert.match(written, /store\/sim-rdk-x5\/nightly-\d{8}-\d{6}(-\d+)?$/);
    nights.push(written.startsWith('/') ? written : join(process.cwd(), written));
    if (night >= 7) {
      // The upgrade that came with the slowdown: a new simulated runtime version in the fingerprint.
      const file = join(nights.at(-1)!, 'results.json');
      const results = JSON.parse(readFileSync(file, 'utf8'));
      results.env.targets['sim-rdk-x5'].sim = 'infergate-sim 2 (simulated device, no hardware)';
      writeFileSync(file, JSON.stringify(results));
    }
  }
  assert.is(readdirSync(join(store, 'sim-rdk-x5')).length, 12);
  // --out wins over the store.
  const out = join(dir, 'elsewhere');
  const r = runCli(['run', before, '--quiet', '--out', out], { env: { INFERGATE_RESULTS: store } });
  assert.is(r.code, 0, r.stderr);
  assert.ok(existsSync(join(out, 'results.json')));
  assert.is(readdirSync(join(store, 'sim-rdk-x5')).length, 12);
});

simTest('history --json: exactly one step, at night 7, on the slowed case only, naming the run and the change', () => {
  const r = runCli(['history', store, '--metric', 'qps,latency.mean', '--json']);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.is(report.schemaVersion, 1);
  assert.is(report.runs, 12);
  const series: Series[] = report.series;
  assert.equal(series.map((s) => `${s.caseId} ${s.metric}`).sort(), [`${T1} latency.mean`, `${T1} qps`, `${T2} latency.mean`, `${T2} qps`].sort());
  const night7 = JSON.parse(readFileSync(join(nights[6]!, 'results.json'), 'utf8')).runId;
  for (const s of series) {
    if (s.caseId === T1) {
      assert.equal(s.steps, [], `A/A: ${s.caseId} ${s.metric} has no step`);
      continue;
    }
    assert.is(s.steps.length, 1, `${s.metric}: ${JSON.stringify(s.steps)}`);
    const step = s.steps[0]!;
    assert.is(step.index, 6);
    assert.is(step.runId, night7);
    assert.is(step.direction, 'regressed');
    assert.equal(step.envChanges, [{ field: 'targets.sim-rdk-x5.sim', before: 'infergate-sim 1 (simulated device, no hardware)', after: 'infergate-sim 2 (simulated device, no hardware)' }]);
  }
  // The table says the same in words.
  const table = runCli(['history', store]);
  assert.is(table.code, 0, table.stderr);
  assert.match(table.stdout, new RegExp(`step regressed at run ${night7} .*run 7 of 12.*targets\\.sim-rdk-x5\\.sim infergate-sim 1 .*-> infergate-sim 2`));
  assert.match(table.stdout, /2 series from 12 runs \(12 results files\); 1 step/);
});

simTest('history --html: one trend chart (inline SVG) per case and metric, the step marked and labelled with its run', () => {
  const page = join(dir, 'history.html');
  const r = runCli(['history', store, '--metric', 'qps,latency.mean', '--html', page]);
  assert.is(r.code, 0, r.stderr);
  const html = readFileSync(page, 'utf8');
  const night7 = JSON.parse(readFileSync(join(nights[6]!, 'results.json'), 'utf8')).runId;
  assert.is((html.match(/<svg /g) ?? []).length, 4);
  assert.not.match(html, /<script/);
  // The label inside the chart names the run (Vega draws it as SVG text), and the step table too.
  assert.match(html, new RegExp(`<text[^>]*>${night7} -\\d+\\.\\d%</text>`));
  assert.match(html, /targets\.sim-rdk-x5\.sim infergate-sim 1/);
});

simTest('history --case and --since select series and runs', () => {
  const r = runCli(['history', store, '--case', '*/t3', '--since', '1d', '--json']);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.equal(report.series.map((s: Series) => s.caseId), [T1]);
  const old = runCli(['history', store, '--since', '2000-01-01', '--case', 't2', '--json']);
  assert.is(JSON.parse(old.stdout).series[0].caseId, T2);
});

test('A/A: 12 sim-like nights of 30 cases through the CLI find no step', () => {
  const aa = join(dir, 'aa');
  for (let night = 1; night <= 12; night++) writeNight(aa, 'sim-mlu370-x4', simLikeNight({ suite: 'aa', night, start: new Date('2026-09-01T01:00:00Z'), keys: boardKeys('sim-mlu370-x4', 30), seed: 500 + night }));
  const r = runCli(['history', aa, '--metric', 'qps,latency.mean', '--json']);
  assert.is(r.code, 0, r.stderr);
  const report = JSON.parse(r.stdout);
  assert.is(report.series.length, 60);
  assert.equal(report.series.flatMap((s: Series) => s.steps), []);
});

test('a large store is read on reader threads: the same runs as one thread; a bad file still names its path', async () => {
  const big = join(dir, 'big');
  for (let night = 1; night <= 80; night++) writeNight(big, 'sim-rdk-x5', simLikeNight({ suite: 'big', night, start: new Date('2026-01-01T01:00:00Z'), keys: boardKeys('sim-rdk-x5', 5), seed: night }));
  const opts = { metrics: ['qps', 'latency.mean'] as MetricId[], casePattern: '*/t1' };
  const threaded = await readHistoryParallel([big], opts);
  assert.is(threaded.files, 80);
  assert.equal(threaded, readHistory([big], opts));
  assert.is(threaded.runs[0]!.points.length, 10);
  writeFileSync(join(big, 'sim-rdk-x5', 'big-20260105-010000', 'results.json'), '{"schemaVersion": 1, "runId": 5}');
  try {
    await readHistoryParallel([big], opts);
    assert.unreachable('a bad file must fail');
  } catch (err) {
    assert.instance(err, UserError);
    assert.match((err as Error).message, /big-20260105-010000\/results\.json runId: /);
  }
});

test('user errors exit 2 with one paragraph naming the flag, variable or path', () => {
  const cases: [string[], RegExp, Record<string, string>?][] = [
    [['history', join(dir, 'nothing-here')], /history .*nothing-here: no such file or folder/],
    [['history', dir, '--since', 'yesterday'], /--since yesterday: expected an age like 60d/],
    [['history', dir, '--metric', 'speed'], /--metric speed: expected one or more of qps/],
    [['history', dir, '--alpha', '2'], /--alpha 2: the significance level/],
    [['history', tempDir('infergate-empty-')], /no results\.json found there/],
    [['run', before, '--results-dir', before], /--results-dir .*before\.yaml.*is a file, not a folder/],
    [['run', before], /INFERGATE_RESULTS .*is a file, not a folder/, { INFERGATE_RESULTS: before }],
  ];
  for (const [args, message, env] of cases) {
    const r = runCli(args, { env });
    assert.is(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    noStack(r.stderr);
  }
});

test('history --help and merge --help show examples', () => {
  for (const cmd of ['history', 'merge']) {
    const r = runCli([cmd, '--help']);
    assert.is(r.code, 0);
    // Every command's help lists its examples as shell lines ($ infergate ...), with its exit codes.
    assert.match(r.stdout, new RegExp(`Examples:\\n  \\$ infergate ${cmd} .*\\n  \\$ infergate ${cmd} `));
  }
});

test.run();
