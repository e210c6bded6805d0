/** reproduce: a published table with measured figures beside it. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findTable, reproduce } from '../../../harness/baseline/reproduce.js';
import { readResults } from '../../../harness/report/results-file.js';
import { reproductionFootnotes } from '../../../harness/report/reproduction.js';
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

test.run();
