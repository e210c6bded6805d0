/** Converters: golden build files for MagicMind and hb_mapper, the artifact cache, and `infergate convert`. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cacheKey } from '../../../harness/convert/cache.js';
import { hbMapperConfig, IMAGENET_MEAN, IMAGENET_STD, magicmindBuildScript, magicmindConfig, type MagicMindBuildOptions } from '../../../harness/convert/vendor-build.js';
import { stableJson as sortedJson } from '../../../harness/util/files.js';
import { ROOT } from '../../helpers.js';

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

test.run();
