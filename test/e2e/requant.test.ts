/**
 * The onnxruntime converter on a real network (issue 6's acceptance check): the float
 * MobileNetV2 folded from the QDQ file in ../shared/assets, then our fp16 and int8 QDQ builds of
 * it, all scored on val-1300-227 through `infergate run suites/mobilenetv2-requant.yaml`, with
 * calibration images disjoint from the scored ones. Also `infergate convert` on ort-cpu.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadDataset } from '../../harness/accuracy/dataset.js';
import { loadCalibration } from '../../harness/convert/calibration.js';
import { loadSuiteFile } from '../../harness/suite/load.js';
import { assetTest, ROOT, runCli, tempDir, writeSuite } from '../helpers.js';

const SUITE = join(ROOT, 'suites', 'mobilenetv2-requant.yaml');

assetTest('calibration images are disjoint from the scored images, even across folders', () => {
  const { suite, baseDir } = loadSuiteFile(SUITE);
  const dataset = loadDataset(suite.dataset!, baseDir);
  const calibration = loadCalibration(suite.calibration!, baseDir, dataset);
  const scored = new Set(dataset.items.map((i) => basename(i.file)));
  assert.is(dataset.items.length, 1300);
  assert.is(calibration.files.length, 98);
  assert.is(calibration.excludedForEvaluation, 2, 'val-100 shares two images with val-1300-227');
  assert.ok(calibration.files.every((f) => !scored.has(basename(f))));
});

assetTest('MobileNetV2: our int8 within 1.5 top-1 points of the float model, our fp16 within 0.3', () => {
  const dir = tempDir();
  // The committed suite with the shortest measurement: accuracy is what this test is about.
  const text = readFileSync(SUITE, 'utf8').replace(/measure:\n(  .*\n)+/, 'measure:\n  warmup: { duration: 0s, iterations: 1 }\n  minDuration: 200ms\n  minIterations: 5\n  maxDuration: 2s\n');
  const suite = writeSuite(dir, 'requant.yaml', text);
  const r = runCli(['run', suite, '--out', join(dir, 'run')]);
  assert.is(r.code, 0, r.stderr);
  const results = JSON.parse(readFileSync(join(dir, 'run', 'results.json'), 'utf8'));
  const top1 = (precision: string) => {
    const c = results.cases.find((x: any) => x.key.precision === precision);
    assert.is(c.accuracy.status, 'ok', `${precision}: ${JSON.stringify(c.accuracy)}`);
    assert.is(c.accuracy.n, 1300);
    return c.accuracy.top1.value as number;
  };
  const fp32 = top1('force_float32');
  const fp16 = top1('force_float16');
  const int8 = top1('qint8_mixed_float16');
  console.log(`  top-1 on val-1300-227: float ${(fp32 * 100).toFixed(2)}%, our fp16 ${(fp16 * 100).toFixed(2)}%, our int8 ${(int8 * 100).toFixed(2)}%`);
  // The folded model is a real classifier: near the dynamic-quantised file's 79.31% on these images.
  assert.ok(fp32 > 0.77 && fp32 < 0.82, `float model top-1 ${fp32}`);
  assert.ok(Math.abs(fp16 - fp32) <= 0.003, `fp16 ${fp16} vs float ${fp32}`);
  assert.ok(fp32 - int8 <= 0.015, `int8 ${int8} vs float ${fp32}`);
  const int8Case = results.cases.find((x: any) => x.key.precision === 'qint8_mixed_float16');
  assert.ok(int8Case.notes.some((n: string) => /int8 \(QDQ\).*calibration on 98 images/.test(n)), int8Case.notes.join('\n'));
});

assetTest('infergate convert builds ort-cpu artifacts once, and int8 without calibration images is the suite\'s error', () => {
  const dir = tempDir();
  const suite = writeSuite(dir, 'convert.yaml', 'name: convert-ort\nmodels: [mobilenetv2-float]\ntargets: [ort-cpu]\nprecisions: [fp32, fp16]\n');
  const first = runCli(['convert', suite]);
  assert.is(first.code, 0, first.stderr);
  const built = [...first.stdout.matchAll(/built (\S+model\.onnx)/g)].map((m) => m[1]!);
  assert.is(built.length, 2, first.stdout);
  const stamps = built.map((f) => statSync(f).mtimeMs);
  const meta = JSON.parse(readFileSync(join(built[1]!, '..', 'meta.json'), 'utf8'));
  assert.is(meta.precision, 'force_float16');
  assert.is(meta.parts.converter, 'onnxruntime');
  const again = runCli(['convert', suite]);
  assert.is(again.code, 0, again.stderr);
  assert.equal(built.map((f) => statSync(f).mtimeMs), stamps, 'the second convert reuses the cache');

  const int8 = writeSuite(dir, 'int8.yaml', 'name: convert-int8\nmodels: [mobilenetv2-float]\ntargets: [ort-cpu]\nprecisions: [int8]\n');
  const refused = runCli(['convert', int8]);
  assert.is(refused.code, 2);
  assert.match(refused.stderr, /int8\.yaml calibration: .*calibration images/);
  const quantized = writeSuite(dir, 'qdq.yaml', 'name: convert-qdq\nmodels: [mobilenetv2-int8-qdq]\ntargets: [ort-cpu]\nprecisions: [fp16]\n');
  const already = runCli(['convert', quantized]);
  assert.is(already.code, 2);
  assert.match(already.stderr, /already quantized .*QuantizeLinear|already quantized .*DequantizeLinear/);
});

test.run();
