/**
 * The fake lab end to end: `npm run fake-lab -- run SUITE` with the addon built against the fake
 * SDKs, the fake hb_mapper and MagicMind builder, and both fake runtimes as colour classifiers,
 * on a generated dataset of strongly coloured images. Also: the same suite without the fake lab
 * still exits 3 with the targets' unavailability reasons.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunResults } from '../../harness/core/index.js';
import { findOnPath } from '../../harness/convert/vendor-run.js';
import { ROOT, runCli, tempDir, testWhen, writeSuite, writeTinyModel, type CliResult } from '../helpers.js';
import { makeColourDataset } from './colour-dataset.js';

const haveTools = !!findOnPath('python3') && !!findOnPath(process.env.CXX ?? 'g++');
const labTest = testWhen(haveTools, 'the fake lab needs python3 and g++ (CI has both)');

const dir = tempDir('infergate-fake-lab-');
const cache = join(dir, 'cache');

function suite(name: string, data: string, extra = '', batch = '[1, 4]'): string {
  return writeSuite(
    dir,
    `${name}.yaml`,
    `name: ${name}
models: [./tiny.onnx]
targets: [mlu370-s4, rdk-x5]
precisions: [qint8_mixed_float16]
batch: ${batch}
threads: [1]
measure: { warmup: { duration: 0.02s, iterations: 2 }, minDuration: 0.05s, minIterations: 5, maxDuration: 5s }
calibration: { images: ./${data}/calibration, select: { first: 4 } }
dataset:
  name: ${name}
  images: ./${data}/images
  labels: ./${data}/labels.txt
${extra}`,
  );
}

function fakeLab(args: string[]): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'fake-lab.mjs'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', INFERGATE_FAKE_LAB_CACHE: cache },
    timeout: 600_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const resultsOf = (out: string): RunResults => JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));

labTest('fake lab: colour images score 100% top-1 on mlu370-s4 and rdk-x5 at batch 1 and 4, labelled FAKE SDK everywhere', async () => {
  writeTinyModel(dir);
  await makeColourDataset(join(dir, 'colour'), 25);
  const out = join(dir, 'run-colour');
  const r = fakeLab(['run', suite('colour', 'colour'), '--out', out]);
  assert.is(r.code, 0, r.stderr);
  const res = resultsOf(out);
  assert.is(res.cases.length, 4);
  for (const c of res.cases) {
    assert.is(c.status, 'ok', c.id);
    assert.ok(c.fakeSdk, c.id);
    assert.is(c.accuracy?.status, 'ok');
    assert.is(c.accuracy!.n, 25); // batch 4: six full batches and a padded last one of 1
    assert.is(c.accuracy!.top1!.value, 1, `${c.id}: top-1 ${c.accuracy!.top1!.value}`);
    assert.match(c.accuracy!.encoding!, c.key.target === 'rdk-x5' ? /letterbox into 224x224.*NV12.*rdk_model_zoo/ : /resize to 256x256.*uint8 NHWC raw.*magicmind_cloud/);
    assert.is(readFileSync(join(out, c.accuracy!.predictionsFile!), 'utf8').trim().split('\n').length, 25);
  }
  assert.match(r.stdout, /FAKE SDK/);
  for (const file of ['report.md', 'report.html', 'results.csv', 'summary.md']) assert.match(readFileSync(join(out, file), 'utf8'), /FAKE SDK|fake_sdk/, file);
  assert.match(readFileSync(join(out, 'results.csv'), 'utf8').split('\n')[1]!, /,true,/);
});

labTest('fake lab: a swapped channel order (dataset.preprocess colour: BGR) drops top-1 to about a third', () => {
  const out = join(dir, 'run-swapped');
  const r = fakeLab(['run', suite('swapped', 'colour', '  preprocess: { colour: BGR }\n', '[1]'), '--out', out]);
  assert.is(r.code, 0, r.stderr);
  for (const c of resultsOf(out).cases) {
    const top1 = c.accuracy!.top1!.value;
    assert.ok(top1 > 0.2 && top1 < 0.45, `${c.id}: top-1 ${top1}`); // only the green images stay right
  }
});

labTest('fake lab: a single-colour dataset trips the collapse warning', async () => {
  await makeColourDataset(join(dir, 'red'), 30, { only: 0 });
  const out = join(dir, 'run-red');
  const r = fakeLab(['run', suite('red', 'red', '', '[1]'), '--out', out]);
  assert.is(r.code, 0, r.stderr);
  for (const c of resultsOf(out).cases) assert.equal(c.accuracy!.warnings, ['the model predicts class 0 for 30 of 30 images: input encoding?']);
  assert.match(r.stdout, /accuracy: the model predicts class 0 for 30 of 30 images: input encoding\?/);
  assert.match(readFileSync(join(out, 'report.md'), 'utf8'), /input encoding\?/);
});

labTest('without the fake lab the same suite exits 3 with each target\'s reason', () => {
  const r = runCli(['run', join(dir, 'colour.yaml'), '--out', join(dir, 'run-real')], { cwd: dir, env: { INFERGATE_NATIVE_ADDON: undefined } });
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, /mlu370-s4 \(.*MagicMind/);
  assert.match(r.stderr, /rdk-x5 \(.*hbDNN/);
});

test.run();
