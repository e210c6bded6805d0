import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { UserError } from '../../../harness/errors.js';
import { checkSuite, expandSuite } from '../../../harness/suite/expand.js';
import { parseSuite } from '../../../harness/suite/load.js';
import { parseDuration } from '../../../harness/suite/fields.js';
import { ROOT } from '../../helpers.js';

const load = (text: string, file = 'suites/x.yaml') => parseSuite(text, file, checkSuite);

function failure(text: string): string {
  try {
    load(text);
  } catch (err) {
    assert.instance(err, UserError);
    return (err as Error).message;
  }
  throw new Error('expected the suite to be rejected');
}

const SMALLEST = `name: smallest
models: [resnet18-v1-7]
targets: [ort-cpu]
precisions: [force_float32]
batch: [1, 8]
threads: [1, 2]
`;

test('the smallest suite from the issue loads with defaults', () => {
  const { suite } = load(SMALLEST);
  assert.is(suite.name, 'smallest');
  assert.equal(suite.batch, [1, 8]);
  assert.is(suite.measure.minDuration, 10);
  assert.is(suite.measure.minIterations, 30);
  assert.is(suite.ort.intraOpThreads, 'auto');
  assert.equal(suite.include, []);
});

test('every bundled suite is valid', () => {
  const files = readdirSync(join(ROOT, 'suites')).filter((f) => f.endsWith('.yaml'));
  assert.ok(files.length >= 4);
  for (const f of files) {
    const path = join(ROOT, 'suites', f);
    const loaded = parseSuite(readFileSync(path, 'utf8'), path, checkSuite);
    assert.ok(expandSuite(loaded.suite).cases.length > 0, f);
  }
});

test('matrix expansion: 1 model x 1 target x 1 precision x 2 batch x 2 threads = 4 cases in order', () => {
  const { cases } = expandSuite(load(SMALLEST).suite);
  assert.equal(
    cases.map((c) => c.id),
    [
      'resnet18-v1-7/ort-cpu/force_float32/b1/t1',
      'resnet18-v1-7/ort-cpu/force_float32/b1/t2',
      'resnet18-v1-7/ort-cpu/force_float32/b8/t1',
      'resnet18-v1-7/ort-cpu/force_float32/b8/t2',
    ],
  );
});

test('exclude trims cells, include adds them with their own measure policy', () => {
  const { cases } = expandSuite(
    load(`${SMALLEST}exclude:
  - { batch: 8, threads: 2 }
include:
  - { model: mobilenetv2-int8-qdq, target: ort-cpu, precision: fp32, batch: 4, threads: 1, measure: { minIterations: 3 } }
`).suite,
  );
  assert.is(cases.length, 4);
  assert.not.ok(cases.some((c) => c.id === 'resnet18-v1-7/ort-cpu/force_float32/b8/t2'));
  const inc = cases.find((c) => c.key.model === 'mobilenetv2-int8-qdq')!;
  assert.is(inc.key.precision, 'force_float32');
  assert.is(inc.measure.minIterations, 3);
  assert.is(inc.measure.minDuration, 10); // inherited
});

test('aliases map to the seed precision names', () => {
  const { suite } = load(SMALLEST.replace('[force_float32]', '[fp32]'));
  assert.is(expandSuite(suite).cases[0]!.key.precision, 'force_float32');
});

test('durations accept seconds and units', () => {
  assert.is(parseDuration('500ms'), 0.5);
  assert.is(parseDuration('3s'), 3);
  assert.is(parseDuration('2m'), 120);
  const { suite } = load(`${SMALLEST}measure: { minDuration: 1500ms, maxDuration: 1m }\n`);
  assert.is(suite.measure.minDuration, 1.5);
  assert.is(suite.measure.maxDuration, 60);
});

test('unknown target: file:line:col, field path, known list', () => {
  const msg = failure(SMALLEST.replace('targets: [ort-cpu]', 'targets: [ort-cpu, mlu380]'));
  assert.match(msg, /suites\/x\.yaml:3:20 targets\[1\]: unknown target 'mlu380'/);
  assert.match(msg, /known: ort-cpu, mlu370-s4/);
});

test('unknown key gets a did-you-mean suggestion and its own position', () => {
  const msg = failure(SMALLEST + 'mesure: { minDuration: 1 }\n');
  assert.match(msg, /suites\/x\.yaml:7:1 mesure: unknown key 'mesure' \(did you mean 'measure'\?\)/);
  const nested = failure(SMALLEST + 'measure: { minDuraton: 1 }\n');
  assert.match(nested, /measure\.minDuraton: unknown key 'minDuraton' \(did you mean 'minDuration'\?\)/);
});

test('wrong types and bad values name the field', () => {
  assert.match(failure(SMALLEST.replace('batch: [1, 8]', 'batch: [0, 8]')), /:5:9 batch\[0\]: batch must be at least 1/);
  assert.match(failure(SMALLEST.replace('threads: [1, 2]', 'threads: [-1]')), /threads\[0\]: threads must be at least 1/);
  assert.match(failure(SMALLEST.replace('batch: [1, 8]', 'batch: eight')), /:5:8 batch: expected array, got 'eight' \(a string\)/);
  assert.match(failure(SMALLEST.replace('batch: [1, 8]', 'batch: []')), /batch: at least one batch value is needed/);
  assert.match(failure(SMALLEST.replace('models: [resnet18-v1-7]\n', '')), /models: is required/);
  assert.match(failure(SMALLEST + 'measure: { minDuration: soon }\n'), /measure\.minDuration: expected a duration/);
  assert.match(failure(SMALLEST + 'measure: { minDuration: 10, maxDuration: 5 }\n'), /measure\.maxDuration: maxDuration must be at least minDuration/);
});

test('unknown model and precision suggest the near name', () => {
  assert.match(failure(SMALLEST.replace('[resnet18-v1-7]', '[resnet18-v1]')), /models\[0\]: unknown model 'resnet18-v1' \(did you mean 'resnet18-v1-7'\?\)/);
  assert.match(failure(SMALLEST.replace('[force_float32]', '[force_float31]')), /precisions\[0\]: unknown precision 'force_float31' \(did you mean 'force_float32'\?\)/);
});

test('a precision the target does not support yet is an error, never a fallback', () => {
  const msg = failure(SMALLEST.replace('[ort-cpu]', '[rdk-x5]').replace('[force_float32]', '[int8, fp16]').replace('[1, 2]', '[1]').replace('[1, 8]', '[1]'));
  assert.match(msg, /:4:20 precisions\[1\]: precision 'force_float16' is not supported yet on target 'rdk-x5'/);
});

test('duplicates, empty matrix and excludes that match nothing are errors', () => {
  assert.match(failure(SMALLEST.replace('batch: [1, 8]', 'batch: [1, 1]')), /batch\[1\]: duplicate value '1'/);
  assert.match(failure(SMALLEST + 'exclude: [{ target: ort-cpu }]\n'), /the matrix is empty/);
  assert.match(failure(SMALLEST + 'exclude: [{ batch: 4 }]\n'), /exclude\[0\]: matches no case/);
  assert.match(
    failure(SMALLEST + 'include: [{ model: resnet18-v1-7, target: ort-cpu, batch: 1, threads: 1 }]\n'),
    /include\[0\]: duplicate case resnet18-v1-7\/ort-cpu\/force_float32\/b1\/t1/,
  );
});

test('rdk-x5 refuses more threads than hbDNN has task slots', () => {
  const msg = failure(SMALLEST.replace('targets: [ort-cpu]', 'targets: [rdk-x5]').replace('[force_float32]', '[int8]').replace('threads: [1, 2]', 'threads: [1, 33]'));
  assert.match(msg, /threads\[1\]: 33 threads exceed hbDNN's limit of 32 tasks in flight/);
});

test('malformed YAML, empty files and non-mappings are reported with positions', () => {
  assert.match(failure('name: x\nmodels: [resnet18-v1-7\n'), /not valid YAML:\n  suites\/x\.yaml:\d+:\d+/);
  assert.match(failure(''), /suite is empty/);
  assert.match(failure('- a\n- b\n'), /expected a mapping of keys/);
  assert.match(failure('name: a\nname: b\n'), /not valid YAML/);
});

test('YAML tags cannot construct code or objects', () => {
  const msg = failure(SMALLEST + 'description: !!js/function "function () { return 1 }"\n');
  assert.match(msg, /not valid YAML:\n  suites\/x\.yaml:7:14 Unresolved tag/);
});

test.run();
