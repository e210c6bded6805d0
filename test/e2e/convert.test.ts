/** infergate convert: build files generated into the cache, toolchains run with argument arrays. */
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ROOT, runCli, tempDir, writeSuite } from '../helpers.js';

const FX = join(ROOT, 'test', 'fixtures', 'bad-input');
const suiteText = `name: convert-test
models: ['resnet18-v1-7@synthetic']
targets: [mlu370-s4, rdk-x5]
precisions: [int8]
calibration: { images: ${FX}/images, select: { first: 2 } }
`;

test('convert: build files generated into the cache; without the SDKs, exit 3 with the files kept', () => {
  const dir = tempDir();
  const cache = tempDir();
  const suite = writeSuite(dir, 'convert.yaml', suiteText);
  const env = { INFERGATE_CACHE: cache, PATH: '/usr/bin:/bin' };
  const gen = runCli(['convert', suite, '--generate-only'], { env });
  assert.is(gen.code, 0, gen.stderr);
  assert.match(gen.stdout, /calibration: 2 images/);
  const mm = /mlu370-s4\/qint8_mixed_float16\/b1\/t1: build files in (\S+)/.exec(gen.stdout)![1]!;
  const hb = /rdk-x5\/qint8_mixed_float16\/b1\/t1: build files in (\S+)/.exec(gen.stdout)![1]!;
  for (const f of ['build_magicmind.py', 'build_config.json', 'calibration/list.txt', 'meta.json']) assert.ok(existsSync(join(mm, f)), f);
  assert.is(readFileSync(join(mm, 'calibration', 'list.txt'), 'utf8').trim().split('\n').length, 2);
  assert.ok(readFileSync(join(mm, 'calibration', 'list.txt'), 'utf8').includes(mm), 'the list names the final folder');
  assert.is(readFileSync(join(mm, 'calibration', 'cal_0000.bin')).length, 3 * 224 * 224 * 4);
  assert.ok(existsSync(join(hb, 'hb_mapper_config.yaml')));
  const run = runCli(['convert', suite], { env });
  assert.is(run.code, 3, run.stderr);
  assert.match(run.stderr, /MagicMind SDK not found .*the build files are kept in/);
  assert.match(run.stderr, /hb_mapper not found on PATH .*the build files are kept in/);
});

test('convert: a toolchain on PATH is run with argument arrays and its artifact is cached', () => {
  const dir = tempDir();
  const cache = tempDir();
  const bin = tempDir();
  // A stand-in hb_mapper: records its arguments, and makertbin writes the .bin the config names.
  const fake = join(bin, 'hb_mapper');
  writeFileSync(
    fake,
    `#!/bin/sh\nprintf '%s\\n' "$@" >> calls.txt\nif [ "$1" = makertbin ]; then\n  prefix=$(sed -n 's/^ *output_model_file_prefix: "\\(.*\\)"$/\\1/p' hb_mapper_config.yaml)\n  mkdir -p model_output && echo bin > "model_output/$prefix.bin"\nfi\nexit 0\n`,
  );
  chmodSync(fake, 0o755);
  const suite = writeSuite(dir, 'convert.yaml', suiteText.replace('targets: [mlu370-s4, rdk-x5]', 'targets: [rdk-x5]'));
  const env = { INFERGATE_CACHE: cache, PATH: `${bin}:/usr/bin:/bin` };
  const r = runCli(['convert', suite], { env });
  assert.is(r.code, 0, r.stderr);
  const artifact = /built (\S+\.bin)/.exec(r.stdout)![1]!;
  assert.ok(existsSync(artifact));
  const folder = join(artifact, '..', '..');
  const calls = readFileSync(join(folder, 'calls.txt'), 'utf8').trim().split('\n');
  assert.equal(calls.slice(0, 5), ['checker', '--model-type', 'onnx', '--march', 'bayes-e']);
  assert.ok(calls.includes('makertbin') && calls.includes('hb_mapper_config.yaml'));
  assert.match(readFileSync(join(folder, 'hb_mapper.log'), 'utf8'), /\$ .*hb_mapper makertbin --model-type onnx --config hb_mapper_config\.yaml/);
  // Cached: a second convert does not run the tool again.
  const again = runCli(['convert', suite], { env });
  assert.is(again.code, 0);
  assert.is(readFileSync(join(folder, 'calls.txt'), 'utf8').trim().split('\n').length, calls.length);
});

test.run();
