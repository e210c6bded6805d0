/** Baselines from history: `baseline update --from-history STORE --last N` pools the newest runs that passed validity. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadNative } from '../../harness/targets/native.js';
import { runCli, tempDir, testWhen, writeSuite } from '../helpers.js';

const simTest = testWhen(!!loadNative().addon, 'the native addon (sim backend) did not build');

const suite = (name: string) => `name: ${name}
models: [resnet18-v1-7]
targets: [sim-rdk-x5]
precisions: [int8]
measure: { warmup: { duration: 10ms, iterations: 2 }, minDuration: 200ms, minIterations: 30, maxDuration: 5s }
`;

simTest('the newest N qualifying runs of the suite are pooled; several suites need --suite', () => {
  const dir = tempDir('infergate-hist-base-');
  const store = join(dir, 'store');
  const nightly = writeSuite(dir, 'nightly.yaml', suite('nightly'));
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = runCli(['run', nightly, '--results-dir', store, '--quiet', '--json']);
    assert.is(r.code, 0, r.stderr);
    ids.push((JSON.parse(r.stdout) as { runId: string }).runId);
  }
  const to = join(dir, 'nightly.json');
  const pooled = runCli(['baseline', 'update', '--from-history', store, '--last', '2', '--to', to, '--accept-noisy']);
  assert.is(pooled.code, 0, pooled.stderr);
  assert.match(pooled.stderr, new RegExp(`pooling 2 runs \\(${ids[1]}, ${ids[2]}\\)`));
  const baseline = JSON.parse(readFileSync(to, 'utf8')) as { provenance: { runs: { runId: string }[] } };
  assert.equal(baseline.provenance.runs.map((r) => r.runId).sort(), [ids[1], ids[2]].sort());

  const other = writeSuite(dir, 'other.yaml', suite('other'));
  assert.is(runCli(['run', other, '--results-dir', store, '--quiet']).code, 0);
  const ambiguous = runCli(['baseline', 'update', '--from-history', store, '--to', to]);
  assert.is(ambiguous.code, 2, ambiguous.stderr);
  assert.match(ambiguous.stderr, /--from-history .*several suites \(nightly, other\); name one with --suite/);
  const named = runCli(['baseline', 'update', '--from-history', store, '--suite', 'other', '--to', join(dir, 'other.json'), '--accept-noisy']);
  assert.is(named.code, 0, named.stderr);
  const misuse = runCli(['baseline', 'update', '--last', '3', '--to', to]);
  assert.is(misuse.code, 2);
  assert.match(misuse.stderr, /--last and --suite choose runs of --from-history/);
});

test.run();
