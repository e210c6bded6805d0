/** Baseline files: committed tables, schema versions, update refusals and stable output. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BASELINE_SCHEMA_VERSION, loadBaselines, parseBaseline, type BaselineFile } from '../../../harness/baseline/schema.js';
import { updateBaseline } from '../../../harness/baseline/update.js';
import { UserError } from '../../../harness/errors.js';
import { readResults } from '../../../harness/report/results-file.js';
import { stableJson } from '../../../harness/util/files.js';
import { ROOT, tempDir } from '../../helpers.js';
import { okCase, results } from './fixtures.js';

test('committed published tables parse, with provenance and all 18 MagicMind figures', () => {
  const all = loadBaselines(join(ROOT, 'baselines', 'published'));
  const mm = all.find((b) => b.baseline.name === 'magicmind-resnet50-mlu370')!.baseline;
  assert.is(mm.provenance.type, 'published');
  const qps = mm.entries.filter((e) => e.metric === 'qps');
  assert.is(qps.length, 18);
  assert.ok(qps.every((e) => e.row && e.key.threads === 1));
  assert.is(qps.find((e) => e.key.target === 'mlu370-x4' && e.key.precision === 'qint8_mixed_float16' && e.key.batch === 8)!.value, 6966.43);
  assert.is(mm.entries.find((e) => e.metric === 'top1' && e.key.precision === 'qint8_mixed_float16')!.value, 0.740741);
  const x5 = all.find((b) => b.baseline.name === 'rdk-x5-resnet18')!.baseline;
  assert.equal(x5.entries.map((e) => e.value).sort(), [0.705, 0.7149, 2.95, 448.79, 8.81].sort());
});

test('a baseline with a wrong or newer schema version is a bad-input error naming the field', () => {
  const good: BaselineFile = { schemaVersion: BASELINE_SCHEMA_VERSION, name: 'x', simulated: false, provenance: { type: 'measured', runs: [{ runId: 'r', date: 'd', suite: 's', env: {} }] }, entries: [] };
  const bad = (over: Record<string, unknown>) => () => parseBaseline(JSON.stringify({ ...good, ...over }), 'b.json');
  assert.throws(bad({ schemaVersion: 99 }), (e: Error) => e instanceof UserError && /b\.json schemaVersion: 99 is newer/.test(e.message));
  assert.throws(bad({ schemaVersion: 0 }), (e: Error) => e instanceof UserError && /b\.json schemaVersion/.test(e.message));
  assert.throws(bad({ entries: [{ metric: 'qps' }] }), (e: Error) => e instanceof UserError && /entries\[0\]\.key/.test(e.message));
  assert.throws(() => parseBaseline('{', 'b.json'), (e: Error) => e instanceof UserError && /does not parse/.test(e.message));
  const simInHardware = { key: { model: 'm', target: 'sim-rdk-x5', precision: 'qint8_mixed_float16' }, metric: 'qps', machineClass: 'sim-rdk-x5', value: 1, unit: 'img/s', direction: 'higher', tolerance: 0.03 };
  assert.throws(bad({ entries: [simInHardware] }), (e: Error) => /simulated target in a hardware baseline/.test(e.message));
});

test('a results file from a newer schema is refused, not misread', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'results.json'), JSON.stringify({ ...results([okCase()]), schemaVersion: 2 }));
  assert.throws(() => readResults(dir), (e: Error) => e instanceof UserError && /schemaVersion: 2 is newer/.test(e.message));
});

test('baseline update: refuses simulated into hardware, invalid measurements and published files; stable output', () => {
  const dir = tempDir();
  const sim = okCase({ key: { model: 'resnet18-v1-7', target: 'sim-rdk-x5', precision: 'qint8_mixed_float16', batch: 1, threads: 1 } });
  const invalid = okCase({ key: { model: 'resnet50-v1-7', target: 'ort-cpu', precision: 'force_float32', batch: 1, threads: 1 }, validity: { valid: false, warnings: [{ code: 'too-few-samples', message: 'x' }] } });
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results([okCase(), sim, invalid])));
  const file = join(dir, 'b.json');
  const out = updateBaseline(readResults(dir), file, () => undefined as never);
  assert.not.ok(out.baseline.simulated);
  assert.ok(out.refused.some((r) => r.caseId === sim.id && /SIMULATED result never goes into a hardware baseline/.test(r.reason)));
  assert.ok(out.refused.some((r) => r.caseId === invalid.id && /invalid measurement \(too-few-samples\)/.test(r.reason)));
  assert.ok(out.baseline.entries.every((e) => e.key.model === 'resnet18-v1-7' && e.key.target === 'ort-cpu'));
  const first = readFileSync(file, 'utf8');
  assert.is(first, stableJson(JSON.parse(first)));
  // Updating again from the same run replaces, never duplicates, and writes the same bytes.
  const again = updateBaseline(readResults(dir), file, () => undefined as never);
  assert.is(again.replaced, again.written);
  assert.is(readFileSync(file, 'utf8'), first);
  // Only simulated cases into a hardware file: nothing to write, exit 2.
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results([sim])));
  assert.throws(() => updateBaseline(readResults(dir), file, () => undefined as never), (e: Error) => e instanceof UserError && /nothing to write/.test(e.message));
  assert.throws(
    () => updateBaseline(readResults(dir), join(ROOT, 'baselines', 'published', 'rdk-x5-resnet18.json'), () => undefined as never),
    (e: Error) => e instanceof UserError && /published baseline is never overwritten/.test(e.message),
  );
  assert.ok(existsSync(join(ROOT, 'baselines', 'published', 'rdk-x5-resnet18.json')));
});

test.run();
