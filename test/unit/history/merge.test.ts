/** Merging runs of several machines: machine classes kept, schema versions never mixed, duplicates keep the newest. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RunResultsSchema, type LoadedResults, type RunResults } from '../../../harness/core/index.js';
import { mergeResults } from '../../../harness/history/merge.js';
import { renderMarkdown } from '../../../harness/report/markdown.js';
import { boardKeys, simLikeNight } from '../../../scripts/history-fixtures.js';

const start = new Date('2026-10-01T02:00:00Z');
const loaded = (results: RunResults, dir: string): LoadedResults => ({ file: `${dir}/results.json`, dir, results });
const night = (board: string, n: number, host: string) => simLikeNight({ suite: 'nightly', night: n, start, keys: boardKeys(board, 2), seed: n, host });

test('two boards: one results object with both machine classes, valid against the schema, in the report', () => {
  const a = night('sim-rdk-x5', 1, 'rdk-board-7');
  a.cases[0]!.samplesFile = 'samples/case-001.json';
  a.cases[0]!.telemetry = { intervalMs: 200, samples: 50, windowSeconds: 10, file: 'telemetry/case-001.json', sources: [], metrics: [], warnings: [] };
  a.cases[0]!.peers = [{ tool: 'hrt_model_exec', status: 'ok', outputFile: 'peers/case-001-hrt_model_exec.txt', figures: {}, ratio: {}, warnings: [] }];
  const b = night('sim-mlu370-s4', 1, 'mlu-host-2');
  const { results, notes } = mergeResults([loaded(a, '/store/sim-rdk-x5/a'), loaded(b, '/store/sim-mlu370-s4/b')], '/store/merged');
  RunResultsSchema.parse(results);
  assert.equal(notes, []);
  assert.is(results.cases.length, 4);
  assert.equal([...new Set(results.cases.map((c) => c.machineClass))], ['sim-rdk-x5', 'sim-mlu370-s4']);
  assert.equal(results.cases.map((c) => c.host), ['rdk-board-7', 'rdk-board-7', 'mlu-host-2', 'mlu-host-2']);
  assert.equal(results.mergedFrom!.map((r) => r.machineClass), ['sim-rdk-x5', 'sim-mlu370-s4']);
  assert.is(results.cases[0]!.samplesFile, '../sim-rdk-x5/a/samples/case-001.json');
  // Every file a case names stays reachable from the merged folder (the report's telemetry charts read it).
  assert.is(results.cases[0]!.telemetry!.file, '../sim-rdk-x5/a/telemetry/case-001.json');
  assert.is(results.cases[0]!.peers![0]!.outputFile, '../sim-rdk-x5/a/peers/case-001-hrt_model_exec.txt');
  assert.is(results.summary.total, 4);
  const md = renderMarkdown(results);
  assert.match(md, /SIMULATED, on sim-rdk-x5 \(rdk-board-7\)/);
  assert.match(md, /SIMULATED, on sim-mlu370-s4 \(mlu-host-2\)/);
  assert.match(md, /## Merged runs/);
});

test('the same case twice on one machine class keeps the newest run, with a note; shards missing are named', () => {
  const older = night('sim-rdk-x5', 1, 'rdk-board-7');
  const newer = night('sim-rdk-x5', 2, 'rdk-board-7');
  older.shard = { index: 1, count: 3 };
  newer.shard = { index: 1, count: 3 };
  const { results, notes } = mergeResults([loaded(newer, '/s/n'), loaded(older, '/s/o')], '/s/m');
  assert.is(results.cases.length, 2);
  assert.ok(results.cases.every((c) => c.runId === newer.runId));
  assert.ok(results.cases[0]!.notes.some((n) => n.includes(`also in run ${older.runId} (older)`)));
  assert.ok(notes.some((n) => n.includes(`kept the newest (${newer.runId})`)));
  assert.ok(notes.some((n) => /shards 2, 3 of 3 missing/.test(n)));
});

test('schema versions are never mixed', () => {
  const a = night('sim-rdk-x5', 1, 'h1');
  const b = { ...night('sim-rdk-x5', 2, 'h2'), schemaVersion: 2 };
  assert.throws(() => mergeResults([loaded(a, '/a'), loaded(b, '/b')], '/m'), /different schema versions .*\/a\/results\.json \(schemaVersion 1\), \/b\/results\.json \(schemaVersion 2\)/);
});

test('a merged file merges again: its cases keep their machine classes and runs', () => {
  const first = mergeResults([loaded(night('sim-rdk-x5', 1, 'h1'), '/a'), loaded(night('sim-mlu370-x4', 1, 'h2'), '/b')], '/m1').results;
  const again = mergeResults([loaded(first, '/m1'), loaded(night('sim-mlu370-s4', 1, 'h3'), '/c')], '/m2').results;
  assert.equal([...new Set(again.cases.map((c) => c.machineClass))], ['sim-rdk-x5', 'sim-mlu370-x4', 'sim-mlu370-s4']);
  assert.is(again.mergedFrom!.length, 3);
});

test.run();
