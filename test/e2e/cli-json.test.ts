/**
 * Machine output: every command's --json is one JSON document on stdout with schemaVersion, and
 * parses with its schema, both the zod schema and the generated schema/<command>.schema.json.
 * --export writes the chosen formats, Bencher Metric Format among them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { COMMAND_SCHEMAS } from '../../harness/cli/json-output.js';
import { commandSchemaPath } from '../../scripts/gen-schema.js';
import { runCli, tempDir, writeSuite, writeTinyModel } from '../helpers.js';

const dir = tempDir('infergate-json-');
writeTinyModel(dir);
const FAST = 'measure: { warmup: { duration: 0, iterations: 1 }, minDuration: 200ms, minIterations: 20, maxDuration: 5s }\n';
const suite = writeSuite(dir, 'tiny.yaml', `name: tiny\nmodels: [tiny.onnx]\ntargets: [ort-cpu]\nbatch: [1]\nthreads: [1, 2]\n${FAST}`);
const run = join(dir, 'run');

function parsesWithSchema(command: keyof typeof COMMAND_SCHEMAS, stdout: string): Record<string, unknown> {
  const doc = JSON.parse(stdout); // throws when stdout holds anything but the one document
  assert.is(doc.schemaVersion, 1, `${command}: schemaVersion`);
  const zodCheck = COMMAND_SCHEMAS[command].safeParse(doc);
  assert.ok(zodCheck.success, `${command} (zod): ${JSON.stringify(zodCheck.error?.issues.slice(0, 3))}`);
  const fromFile = z.fromJSONSchema(JSON.parse(readFileSync(commandSchemaPath(command), 'utf8')));
  const fileCheck = fromFile.safeParse(doc);
  assert.ok(fileCheck.success, `${command} (schema file): ${JSON.stringify(fileCheck.error?.issues.slice(0, 3))}`);
  return doc;
}

test('run --json and --export: the results on stdout; bmf, csv and html where asked', () => {
  const r = runCli(['run', suite, '--out', run, '--json', '--export', 'bmf', '--export', `csv=${join(dir, 'elsewhere.csv')}`]);
  assert.is(r.code, 0, r.stderr);
  const doc = parsesWithSchema('run', r.stdout);
  assert.is((doc.cases as unknown[]).length, 2);
  assert.match(r.stderr, /\[1\/2\] tiny\.onnx/, 'progress on stderr, not stdout');
  const bmf = JSON.parse(readFileSync(join(run, 'results.bmf.json'), 'utf8'));
  const m = bmf['tiny.onnx/ort-cpu/force_float32/b1/t1'];
  assert.ok(m.latency.value > 0 && m.latency.lower_value <= m.latency.value && m.latency.value <= m.latency.upper_value);
  assert.ok(m.throughput.value > 0);
  assert.match(readFileSync(join(dir, 'elsewhere.csv'), 'utf8'), /^run_id,.*qps_img_per_s/);
  assert.match(r.stderr, /exported .*results\.bmf\.json/);
  const bad = runCli(['run', suite, '--export', 'xlsx']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--export xlsx: unknown format/);
});

test('compare, baseline update, reproduce --json', () => {
  const baseline = join(dir, 'baseline.json');
  // --accept-noisy: this checks the JSON shape, not baseline hygiene (a shared machine is noisy).
  const update = runCli(['baseline', 'update', run, '--to', baseline, '--json', '--accept-noisy']);
  assert.is(update.code, 0, update.stderr);
  const u = parsesWithSchema('baseline-update', update.stdout);
  assert.is(u.written, 6);
  const compare = runCli(['compare', run, '--baseline', baseline, '--json', '--export', 'bmf']);
  assert.ok(compare.code === 0 || compare.code === 1, compare.stderr);
  const c = parsesWithSchema('compare', compare.stdout);
  assert.is((c.verdicts as unknown[]).length, 6);
  assert.ok(existsSync(join(run, 'comparison.bmf.json')), 'compare exports beside the comparison files');
  const rep = runCli(['reproduce', 'rdk-x5-resnet18', '--results', run, '--json']);
  assert.is(rep.code, 0, rep.stderr);
  const p = parsesWithSchema('reproduce', rep.stdout);
  assert.ok((p.rows as unknown[]).length > 0);
});

test('doctor, list, convert --json', () => {
  const doctor = runCli(['doctor', '--json']);
  assert.is(doctor.code, 0, doctor.stderr);
  const d = parsesWithSchema('doctor', doctor.stdout) as { status: string; checks: { name: string }[] };
  assert.ok(['ok', 'degraded'].includes(d.status));
  const names = d.checks.map((x) => x.name);
  assert.is(new Set(names).size, names.length, `duplicate check names: ${names}`);
  const list = runCli(['list', '--json']);
  assert.is(list.code, 0);
  parsesWithSchema('list', list.stdout);
  const convert = runCli(['convert', suite, '--json']);
  assert.is(convert.code, 0, convert.stderr);
  const cv = parsesWithSchema('convert', convert.stdout) as { cases: { status: string }[] };
  assert.equal(cv.cases.map((x) => x.status), ['built']);
});

test.run();
