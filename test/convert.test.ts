/** Converters: golden build files for MagicMind and hb_mapper, the artifact cache, and `infergate convert`. */
import { chmodSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cacheKey } from '../harness/convert/cache.js';
import { hbMapperConfig, IMAGENET_MEAN, IMAGENET_STD, magicmindBuildScript, magicmindConfig, type MagicMindBuildOptions } from '../harness/convert/vendor-build.js';
import { stableJson as sortedJson } from '../harness/report/write.js';
import { ROOT, runCli, tempDir, writeSuite } from './helpers.js';

const GOLDEN = join(ROOT, 'test', 'golden');
/** UPDATE_GOLDEN=1 npm test rewrites the golden files; review the diff before committing. */
function golden(name: string, actual: string): void {
  const file = join(GOLDEN, name);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual);
  assert.is(actual, readFileSync(file, 'utf8'), `${name} differs from its golden file (UPDATE_GOLDEN=1 npm test rewrites it)`);
}

const MM: MagicMindBuildOptions = {
  name: 'resnet50-v1-7',
  onnx: '/models/resnet50-v1-7.onnx',
  precision: 'qint8_mixed_float16',
  batch: 8,
  height: 224,
  width: 224,
  normalizeInGraph: true,
  nhwcInput: true,
  calibrationList: '/cache/calibration_list.txt',
  output: '/cache/model.mm',
  device: 1,
};

test('MagicMind build config and script match their golden files', () => {
  golden('magicmind-int8-b8.build_config.json', sortedJson(magicmindConfig(MM)));
  golden('magicmind-int8-b8.build_magicmind.py', magicmindBuildScript(MM, '/cache/build_config.json'));
  golden('magicmind-fp16-mutable.build_config.json', sortedJson(magicmindConfig({ ...MM, precision: 'force_float16', batch: { min: 1, max: 8 }, calibrationList: undefined })));
  const c = magicmindConfig(MM) as Record<string, any>;
  assert.equal(c.archs, ['mtp_372']);
  // keyed by input index, like every other per-input BuilderConfig key
  assert.equal(Object.keys(c.insert_bn_before_firstnode), ['0']);
  assert.equal(c.insert_bn_before_firstnode['0'].mean, [123.675, 116.28, 103.53]);
  assert.equal(c.insert_bn_before_firstnode['0'].var, [3409.976025, 3262.6944, 3291.890625]);
  assert.equal(c.convert_input_layout, { '0': { src: 'NCHW', dst: 'NHWC' } });
});

test('build_magicmind.py calibrates as the samples do: a list of data sources, on an opened MLU', () => {
  const py = magicmindBuildScript(MM, '/cache/build_config.json');
  assert.match(py, /calibrator = mm\.Calibrator\(\[FileCalibData\(CALIBRATION_LIST, INPUT_SHAPE\)\]\)/);
  assert.match(py, /^DEVICE = 1$/m);
  // Inside `with mm.System():` the card is opened, then calibrate runs, in that order.
  const block = /\n( +)with mm\.System\(\):\n((?:\1 {4}.*\n)+)/.exec(py);
  assert.ok(block, 'a with mm.System(): block');
  const body = block![2]!.split('\n').map((l) => l.trim()).filter(Boolean);
  assert.equal(body, [
    'dev = mm.Device()',
    'dev.id = device',
    'check(dev.active(), f"Device.active (MLU {device})")',
    'check(calibrator.calibrate(network, config), "Calibrator.calibrate")',
  ]);
  assert.not.match(py, /mm\.Status\.OK\(\)/);
});

test('hb_mapper YAML matches its golden file', () => {
  const yaml = hbMapperConfig({ onnx: '/models/resnet18-v1-7.onnx', workingDir: 'model_output', outputPrefix: 'resnet18-v1-7', calibrationDir: 'calibration' });
  golden('hb_mapper_config.yaml', yaml);
  assert.match(yaml, /scale_value: 0\.01712475 0\.017507 0\.01742919/);
  assert.match(yaml, /march: "bayes-e"/);
});

test('the cache key changes with every part that changes the artifact', () => {
  const parts = { sourceSha256: 'a', converter: 'magicmind', converterVersion: 1, options: { batch: 1, precision: 'force_float32' }, calibrationSha256: 'c' };
  const k = cacheKey(parts);
  assert.is(k, cacheKey({ ...parts, options: { precision: 'force_float32', batch: 1 } })); // key order does not matter
  for (const other of [{ sourceSha256: 'b' }, { converterVersion: 2 }, { options: { batch: 4, precision: 'force_float32' } }, { calibrationSha256: 'd' }]) {
    assert.is.not(cacheKey({ ...parts, ...other }), k);
  }
});

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
