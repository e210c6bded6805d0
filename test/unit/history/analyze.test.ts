/** History over run folders shaped like sim nights: series per machine class, steps named with their run and environment change. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { METRICS, type MetricId } from '../../../harness/core/index.js';
import { analyzeHistory } from '../../../harness/history/analyze.js';
import { caseMatcher, readHistory } from '../../../harness/history/read.js';
import { HistoryReportSchema } from '../../../harness/history/schema.js';
import { renderHistoryTable } from '../../../harness/history/table.js';
import { boardKeys, simLikeNight, writeNight } from '../../../scripts/history-fixtures.js';

const thresholds = Object.fromEntries(Object.values(METRICS).map((m) => [m.id, m.threshold])) as Record<MetricId, number>;
const start = new Date('2026-10-01T02:00:00Z');

function history(store: string, metrics: MetricId[] = ['qps'], casePattern?: string) {
  const { runs, files } = readHistory([store], { metrics, casePattern });
  return analyzeHistory(runs, { metrics, alpha: 0.01, thresholds, files, now: start });
}

test('12 nights, slowdown 1.08 on two cases and a new sim version from night 7: one step each, at night 7, naming the change', () => {
  const store = mkdtempSync(join(tmpdir(), 'infergate-history-'));
  const keys = boardKeys('sim-rdk-x5', 6);
  const affected = new Set([keys[1]!.batch, keys[4]!.batch]);
  for (let night = 1; night <= 12; night++) {
    const upgraded = night >= 7;
    const r = simLikeNight({
      suite: 'nightly', night, start, keys, seed: night,
      slowdown: (k) => (upgraded && affected.has(k.batch) ? 1.08 : 1),
      env: upgraded ? { 'targets.sim-rdk-x5.sim': 'infergate-sim 2 (simulated device, no hardware)' } : {},
    });
    writeNight(store, 'sim-rdk-x5', r);
  }
  const report = history(store, ['qps', 'latency.mean']);
  HistoryReportSchema.parse(report);
  assert.is(report.runs, 12);
  assert.is(report.series.length, 12);
  const stepped = report.series.filter((s) => s.steps.length);
  assert.equal(stepped.map((s) => `${s.caseId} ${s.metric}`).sort(), [keys[1]!, keys[4]!].flatMap((k) => [`${join(k.model, k.target, k.precision)}/b${k.batch}/t${k.threads} latency.mean`, `${join(k.model, k.target, k.precision)}/b${k.batch}/t${k.threads} qps`]).sort());
  for (const s of stepped) {
    assert.is(s.steps.length, 1);
    const st = s.steps[0]!;
    assert.is(st.index, 6);
    assert.is(st.runId, 'nightly-20261007-020000');
    assert.is(st.previousRunId, 'nightly-20261006-020000');
    assert.is(st.direction, 'regressed');
    assert.equal(st.envChanges, [{ field: 'targets.sim-rdk-x5.sim', before: 'infergate-sim 1 (simulated device, no hardware)', after: 'infergate-sim 2 (simulated device, no hardware)' }]);
  }
  const table = renderHistoryTable(report);
  assert.match(table, /step regressed at run nightly-20261007-020000 .*run 7 of 12.*targets\.sim-rdk-x5\.sim infergate-sim 1 .* -> infergate-sim 2/);
  assert.match(table, /12 series from 12 runs \(12 results files\); 4 steps/);
});

test('A/A: 12 nights, nothing changed: no step in any series', () => {
  const store = mkdtempSync(join(tmpdir(), 'infergate-history-aa-'));
  const keys = boardKeys('sim-mlu370-s4', 20);
  for (let night = 1; night <= 12; night++) writeNight(store, 'sim-mlu370-s4', simLikeNight({ suite: 'nightly', night, start, keys, seed: 100 + night }));
  const report = history(store, ['qps', 'latency.mean', 'latency.p99']);
  assert.is(report.series.length, 60);
  assert.equal(report.series.flatMap((s) => s.steps), []);
});

test('grouped by machine class, ordered by start time; --case filter; failed and invalid runs listed, not fitted', () => {
  const store = mkdtempSync(join(tmpdir(), 'infergate-history-mc-'));
  for (const board of ['sim-rdk-x5', 'sim-mlu370-x4']) {
    for (const night of [3, 1, 2, 5, 4]) {
      const r = simLikeNight({ suite: 'nightly', night, start, keys: boardKeys(board, 3), seed: night });
      if (board === 'sim-rdk-x5' && night === 2) r.cases[0]!.validity = { valid: false, warnings: [{ code: 'too-few-samples', message: 'few' }] };
      if (board === 'sim-rdk-x5' && night === 4) r.cases[0] = { ...r.cases[0]!, status: 'failed', throughput: undefined, blocks: undefined };
      writeNight(store, board, r);
    }
  }
  const report = history(store, ['qps'], '*/b1/t1');
  assert.equal(report.series.map((s) => s.machineClass), ['sim-mlu370-x4', 'sim-rdk-x5']);
  const rdk = report.series[1]!;
  assert.equal(rdk.points.map((p) => p.startedAt.slice(8, 10)), ['01', '02', '03', '04', '05']);
  assert.equal(rdk.points.map((p) => p.excluded ?? 'ok'), ['ok', 'measurement invalid', 'ok', 'case failed', 'ok']);
});

test('a results file from a newer infergate is refused with its path (exit-2 error)', () => {
  const store = mkdtempSync(join(tmpdir(), 'infergate-history-bad-'));
  writeFileSync(join(store, 'results.json'), JSON.stringify({ schemaVersion: 99 }));
  assert.throws(() => history(store), /results .*results\.json schemaVersion: 99 is newer/);
});

test('case patterns: * matches any run of characters, plain text any id containing it', () => {
  const id = 'resnet18-v1-7/sim-rdk-x5/qint8_mixed_float16/b1/t4';
  assert.ok(caseMatcher('resnet18-v1-7/*/t4')(id));
  assert.ok(caseMatcher('*')(id));
  assert.ok(caseMatcher('sim-rdk')(id));
  assert.ok(caseMatcher(undefined)(id));
  assert.not.ok(caseMatcher('resnet18-v1-7/*/t1')(id));
  assert.not.ok(caseMatcher('resnet18-v1-7.sim*')(id), 'dots are literal');
});

test.run();
