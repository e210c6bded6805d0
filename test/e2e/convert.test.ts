/** infergate convert: build files generated into the cache (calibration tensors as each vendor wants them), toolchains run with argument arrays. */
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { IMAGENET_MEAN, IMAGENET_STD } from '../../harness/convert/vendor-build.js';
import { ROOT, runCli, tempDir, writeSuite } from '../helpers.js';

const FX = join(ROOT, 'test', 'fixtures', 'bad-input');
const suiteText = `name: convert-test
models: ['resnet18-v1-7@synthetic']
targets: [mlu370-s4, rdk-x5]
precisions: [int8]
calibration: { images: ${FX}/images, select: { first: 2 } }
`;

/** One --generate-only run of the two-target suite, shared by the tests that read its files. */
let generatedOnce: { mm: string; hb: string; suite: string; env: Record<string, string> } | undefined;
function generated() {
  if (generatedOnce) return generatedOnce;
  const suite = writeSuite(tempDir(), 'convert.yaml', suiteText);
  const env = { INFERGATE_CACHE: tempDir(), PATH: '/usr/bin:/bin' };
  const gen = runCli(['convert', suite, '--generate-only'], { env });
  assert.is(gen.code, 0, gen.stderr);
  assert.match(gen.stdout, /calibration: 2 images/);
  const mm = /mlu370-s4\/qint8_mixed_float16\/b1\/t1: build files in (\S+)/.exec(gen.stdout)![1]!;
  const hb = /rdk-x5\/qint8_mixed_float16\/b1\/t1: build files in (\S+)/.exec(gen.stdout)![1]!;
  generatedOnce = { mm, hb, suite, env };
  return generatedOnce;
}

test('convert: build files generated into the cache; without the SDKs, exit 3 with the files kept', () => {
  const { mm, hb, suite, env } = generated();
  for (const f of ['build_magicmind.py', 'build_config.json', 'calibration_list.txt', 'meta.json']) assert.ok(existsSync(join(mm, f)), f);
  const list = readFileSync(join(mm, 'calibration_list.txt'), 'utf8').trim().split('\n');
  assert.equal(list, [join(mm, 'calibration', 'cal_0000.bin'), join(mm, 'calibration', 'cal_0001.bin')], 'the list names the final folder');
  assert.ok(existsSync(join(hb, 'hb_mapper_config.yaml')));
  const run = runCli(['convert', suite], { env });
  assert.is(run.code, 3, run.stderr);
  assert.match(run.stderr, /MagicMind SDK not found .*the build files are kept in/);
  assert.match(run.stderr, /hb_mapper not found on PATH .*the build files are kept in/);
});

test("convert: hb_mapper's calibration folder holds nothing but input-sized tensors", () => {
  const { mm, hb } = generated();
  assert.match(readFileSync(join(hb, 'hb_mapper_config.yaml'), 'utf8'), /cal_data_dir: "calibration"/);
  // hb_mapper reads EVERY file in cal_data_dir and reshapes it to the input: nothing else may be there.
  for (const folder of [join(hb, 'calibration'), join(mm, 'calibration')]) {
    const files = readdirSync(folder);
    assert.is(files.length, 2, `${folder}: ${files.join(', ')}`);
    for (const f of files) assert.is(statSync(join(folder, f)).size, 3 * 224 * 224 * 4, `${folder}/${f} is not one input-sized tensor`);
  }
});

test("convert: MagicMind calibration tensors are normalised (x - mean) / std; hb_mapper's stay raw 0-255", () => {
  const { mm, hb } = generated();
  const floats = (file: string) => new Float32Array(new Uint8Array(readFileSync(file)).buffer);
  const plane = 224 * 224;
  // The fixture images are flat colours: a.jpg RGB (200, 10, 10), b.jpg (10, 201, 10).
  for (const [i, rgb] of [[0, [200, 10, 10]], [1, [10, 201, 10]]] as const) {
    const name = `cal_000${i}.bin`;
    const norm = floats(join(mm, 'calibration', name));
    const raw = floats(join(hb, 'calibration', name));
    const mean = norm.reduce((a, v) => a + v, 0) / norm.length;
    assert.ok(Math.abs(mean) < 1, `${name}: normalised mean ${mean} should be near 0`);
    assert.ok(norm.some((v) => v < 0), `${name}: normalised values include negatives`);
    for (let ch = 0; ch < 3; ch++) {
      assert.ok(Math.abs(norm[ch * plane + 1234]! - (rgb[ch]! - IMAGENET_MEAN[ch]!) / IMAGENET_STD[ch]!) < 1e-4, `${name} channel ${ch} normalised`);
      assert.is(raw[ch * plane + 1234], rgb[ch]!, `${name} channel ${ch} raw for hb_mapper`);
    }
  }
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
