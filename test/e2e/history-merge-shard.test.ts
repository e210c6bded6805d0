/**
 * `infergate merge` of two machines' real simulated runs (one report holding both machine
 * classes), and `run --shard K/N` partitioning a suite exactly, then merged back into the whole.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RunResultsSchema } from '../../harness/core/index.js';
import { loadNative } from '../../harness/targets/native.js';
import { runCli, tempDir, testWhen, writeSuite } from '../helpers.js';

const dir = tempDir('infergate-merge-e2e-');
const simTest = testWhen(!!loadNative().addon, 'the native addon (sim backend) did not build');
const measure = 'measure: { warmup: { duration: 10ms, iterations: 2 }, minDuration: 150ms, minIterations: 30, maxDuration: 2s }';
const board = (name: string, model: string, target: string) => writeSuite(dir, `${name}.yaml`, `name: nightly\nmodels: [${model}]\ntargets: [${target}]\nprecisions: [int8]\nbatch: [1]\nthreads: [1, 2]\n${measure}\n`);
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const noStack = (text: string) => assert.not.match(text, /\n\s+at .+:\d+:\d+/);

simTest('merge: the same suite on two boards gives one results.json and one report with both machine classes', () => {
  const rdk = join(dir, 'rdk');
  const mlu = join(dir, 'mlu');
  assert.is(runCli(['run', board('rdk', 'resnet18-v1-7', 'sim-rdk-x5'), '--out', rdk, '--quiet']).code, 0);
  assert.is(runCli(['run', board('mlu', 'resnet50-v1-7', 'sim-mlu370-s4'), '--out', mlu, '--quiet']).code, 0);
  const out = join(dir, 'merged');
  const r = runCli(['merge', rdk, join(mlu, 'results.json'), '--out', out]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /merged 2 results files \(4 cases on sim-rdk-x5, sim-mlu370-s4\)/);
  const merged = RunResultsSchema.parse(readJson(join(out, 'results.json')));
  assert.equal(merged.cases.map((c) => c.machineClass), ['sim-rdk-x5', 'sim-rdk-x5', 'sim-mlu370-s4', 'sim-mlu370-s4']);
  assert.equal(merged.mergedFrom!.map((m) => m.machineClass), ['sim-rdk-x5', 'sim-mlu370-s4']);
  // The samples stay where they were, and the merged file still finds them.
  assert.ok(existsSync(join(out, merged.cases[0]!.samplesFile!)));
  for (const f of ['results.csv', 'report.md', 'report.html', 'summary.md', 'junit.xml']) assert.ok(existsSync(join(out, f)), f);
  const md = readFileSync(join(out, 'report.md'), 'utf8');
  assert.match(md, /\| resnet18-v1-7 \| sim-rdk-x5 .*on sim-rdk-x5/);
  assert.match(md, /\| resnet50-v1-7 \| sim-mlu370-s4 .*on sim-mlu370-s4/);
  assert.match(readFileSync(join(out, 'results.csv'), 'utf8'), /,sim-mlu370-s4,/);
  assert.match(r.stdout, /on sim-rdk-x5/);

  // The same board again, later: its cases replace the older ones, with a note.
  const rdk2 = join(dir, 'rdk2');
  assert.is(runCli(['run', board('rdk', 'resnet18-v1-7', 'sim-rdk-x5'), '--out', rdk2, '--quiet']).code, 0);
  const again = runCli(['merge', rdk, mlu, rdk2, '--out', join(dir, 'merged2'), '--json']);
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stderr, /kept the newest/);
  const m2 = JSON.parse(again.stdout);
  assert.is(m2.cases.length, 4);
  assert.is(m2.cases[0].runId, readJson(join(rdk2, 'results.json')).runId);

  // Refusals: --out is one of the runs; a results file that is not one.
  const clash = runCli(['merge', rdk, mlu, '--out', rdk]);
  assert.is(clash.code, 2);
  assert.match(clash.stderr, /--out .*rdk: it is one of the runs being merged/);
  const missing = runCli(['merge', rdk, join(dir, 'nope'), '--out', join(dir, 'm3')]);
  assert.is(missing.code, 2);
  assert.match(missing.stderr, /results .*nope.*cannot read it/);
  noStack(clash.stderr + missing.stderr);
});

simTest('--shard K/N partitions a suite exactly (union = all cases, no overlap); merging the shards gives the whole suite', () => {
  const suite = writeSuite(dir, 'big.yaml', `name: big\nmodels: [resnet18-v1-7]\ntargets: [sim-rdk-x5]\nprecisions: [int8]\nbatch: [1]\nthreads: [1, 2, 3, 4, 5]\n${measure}\n`);
  const store = join(dir, 'store');
  const ids: string[][] = [];
  const runDirs: string[] = [];
  for (let k = 1; k <= 3; k++) {
    const r = runCli(['run', suite, '--shard', `${k}/3`, '--results-dir', store, '--quiet']);
    assert.is(r.code, 0, r.stderr);
    const runDir = /wrote (\S+)\//.exec(r.stderr)![1]!;
    assert.match(runDir, new RegExp(`store/sim-rdk-x5/big-\\d{8}-\\d{6}-s${k}of3$`));
    runDirs.push(runDir);
    const results = readJson(join(runDir, 'results.json'));
    assert.equal(results.shard, { index: k, count: 3 });
    ids.push(results.cases.map((c: { id: string }) => c.id));
  }
  assert.equal(ids.map((s) => s.length), [2, 2, 1]);
  const all = ids.flat();
  assert.is(new Set(all).size, all.length, 'no case in two shards');
  assert.equal([...all].sort(), [1, 2, 3, 4, 5].map((t) => `resnet18-v1-7/sim-rdk-x5/qint8_mixed_float16/b1/t${t}`));

  // Shard 2 cut short (its last case lost from the journal): --resume runs that shard's missing
  // case again, from the journal's shard, not the whole suite and not shard 1 of 1.
  const journal = join(runDirs[1]!, 'journal.jsonl');
  const text = readFileSync(journal, 'utf8');
  writeFileSync(journal, text.slice(0, text.lastIndexOf('\n', text.length - 2) + 1));
  const resumed = runCli(['run', '--resume', runDirs[1]!]);
  assert.is(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming .*-s2of3: 1 of 2 cases already in the journal/);
  const after = readJson(join(runDirs[1]!, 'results.json'));
  assert.equal(after.shard, { index: 2, count: 3 });
  assert.equal(after.cases.map((c: { id: string }) => c.id), ids[1]);
  const lines = readFileSync(journal, 'utf8').trim().split('\n').map((l) => JSON.parse(l).type);
  assert.equal(lines, ['run', 'case', 'resume', 'case']);

  const partial = runCli(['merge', runDirs[0]!, runDirs[1]!, '--out', join(dir, 'partial')]);
  assert.match(partial.stderr, /shard 3 of 3 missing/);
  const whole = runCli(['merge', ...runDirs, '--out', join(dir, 'whole')]);
  assert.is(whole.code, 0, whole.stderr);
  assert.not.match(whole.stderr, /missing/);
  assert.is(readJson(join(dir, 'whole', 'results.json')).cases.length, 5);

  for (const [flag, message] of [['4/3', /--shard 4\/3: expected K\/N/], ['6/6', /suite 'big' has only 5 cases, so shard 6 would be empty/]] as const) {
    const bad = runCli(['run', suite, '--shard', flag, '--quiet']);
    assert.is(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, message);
    noStack(bad.stderr);
  }
});

test.run();
