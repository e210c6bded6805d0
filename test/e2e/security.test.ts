/** Paths in a suite resolve against the suite file, not the current folder. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { runCli, tempDir, writeSuite, writeTinyModel } from '../helpers.js';

test('paths in a suite resolve against the suite file, not the current folder', () => {
  const dir = tempDir();
  writeTinyModel(dir, 'here.onnx');
  const suite = writeSuite(dir, 'rel.yaml', `name: rel
models: [{ id: ./here.onnx, name: here }]
targets: [ort-cpu]
measure: { warmup: { duration: 0s, iterations: 1 }, minDuration: 100ms, minIterations: 5, maxDuration: 2s }
`);
  const elsewhere = tempDir();
  const r = runCli(['run', suite, '-o', join(elsewhere, 'out'), '--quiet'], { cwd: elsewhere });
  assert.is(r.code, 0, r.stderr);
});

test.run();
