/** reproduce: a published table with measured figures beside it. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findTable, reproduce } from '../../../harness/baseline/reproduce.js';
import { readResults } from '../../../harness/report/results-file.js';
import { renderReproductionText, reproductionFootnotes } from '../../../harness/report/reproduction.js';
import { ROOT, tempDir } from '../../helpers.js';
import { okCase, results } from '../baseline/fixtures.js';

test('reproduce: the table in its row order, measured beside published, SIMULATED where so', () => {
  const table = findTable('rdk-x5-resnet18', [join(ROOT, 'baselines')]);
  const dir = tempDir();
  const sim = okCase({ key: { model: 'resnet18-v1-7', target: 'sim-rdk-x5', precision: 'qint8_mixed_float16', batch: 1, threads: 4 }, qps: 448.0, mean: 8.9 });
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results([sim])));
  const rep = reproduce(table, [readResults(dir)]);
  assert.equal(rep.rows.map((r) => r.row), ['float model top-1', 'quantized model top-1', 'latency, 1 thread', 'latency, 4 threads', 'FPS, 4 threads']);
  const fps = rep.rows[4]!;
  assert.ok(fps.simulated);
  assert.ok(Math.abs(fps.ratio! - 448 / 448.79) < 1e-9);
  assert.is(rep.rows[2]!.measured, undefined);
  assert.ok(reproductionFootnotes(rep).some((f) => f.includes('or pass --run')));
  // After reproduce --run, the unmeasured rows are not the user's to fix with --run.
  const ran = reproduce(table, [readResults(dir)], { ran: true });
  assert.not.ok(reproductionFootnotes(ran).some((f) => f.includes('--run')));
  assert.ok(reproductionFootnotes(ran).some((f) => f.startsWith('not measured: the suite just run')));
});

test('reproduce: accuracy rows take the measured top-1; a FAKE SDK figure is marked and only used when nothing else has the row', () => {
  const table = findTable('rdk-x5-resnet18', [join(ROOT, 'baselines')]);
  const acc = (top1: number) => ({ status: 'ok' as const, n: 1000, top1: { correct: top1 * 1000, value: top1, ci95: [top1 - 0.03, top1 + 0.03] as [number, number] }, top5: { correct: 900, value: 0.9, ci95: [0.88, 0.92] as [number, number] } });
  const key = { model: 'resnet18-v1-7', target: 'rdk-x5', precision: 'qint8_mixed_float16' as const, batch: 1, threads: 1 };
  const dir = tempDir();
  const fake = okCase({ key, fakeSdk: true, accuracy: acc(1) });
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results([fake], { machineClass: 'rdk-x5' })));
  const onlyFake = reproduce(table, [readResults(dir)]).rows[1]!;
  assert.is(onlyFake.row, 'quantized model top-1');
  assert.is(onlyFake.measured, 1);
  assert.ok(onlyFake.fakeSdk);
  assert.match(renderReproductionText(reproduce(table, [readResults(dir)])), /100\.00% FAKE SDK[\s\S]*FAKE SDK: measured on infergate's fake vendor SDKs/);
  const dir2 = tempDir();
  writeFileSync(join(dir2, 'results.json'), JSON.stringify(results([okCase({ key: { ...key, threads: 4 }, accuracy: acc(0.7) })], { machineClass: 'rdk-x5' })));
  const real = reproduce(table, [readResults(dir), readResults(dir2)]).rows[1]!;
  assert.is(real.measured, 0.7);
  assert.not.ok(real.fakeSdk);
});

test('reproduce: published | vendor tool | infergate, each with its ratio to the published figure', () => {
  const table = findTable('rdk-x5-resnet18', [join(ROOT, 'baselines')]);
  const key = { model: 'resnet18-v1-7', target: 'rdk-x5', precision: 'qint8_mixed_float16' as const, batch: 1, threads: 4 };
  const peer = { tool: 'hrt_model_exec' as const, version: '1.2.3', status: 'ok' as const, qps: 440, latencyMean: 9, figures: { fps: 440 }, ratio: { qps: 400 / 440 }, warnings: [] };
  const dir = tempDir();
  writeFileSync(join(dir, 'results.json'), JSON.stringify(results([okCase({ key, qps: 400, mean: 10, peers: [peer] })], { machineClass: 'rdk-x5' })));
  const rep = reproduce(table, [readResults(dir)]);
  const fps = rep.rows.find((r) => r.row === 'FPS, 4 threads')!;
  assert.equal(fps.vendor, { tool: 'hrt_model_exec', version: '1.2.3', value: 440, ratio: 440 / 448.79 });
  assert.is(rep.rows.find((r) => r.row === 'latency, 4 threads')!.vendor!.value, 9);
  assert.is(rep.rows.find((r) => r.row === 'quantized model top-1')!.vendor, undefined);
  const text = renderReproductionText(rep);
  assert.match(text, /row\s+published\s+vendor tool\s+tool\/published\s+infergate\s+infergate\/published/);
  assert.match(text, /FPS, 4 threads\s+448\.79 img\/s\s+440\.00 img\/s \(hrt_model_exec 1\.2\.3\)\s+0\.980\s+400\.00 img\/s\s+0\.891/);
  assert.match(text, /vendor tool: the vendor's own benchmark/);
});

test.run();
