/** Gate confirmation: a speed regression is believed when most measurements of the case show it. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { GateReport, RunResults } from '../../../harness/core/index.js';
import { confirmRegressions, regressedMajority } from '../../../harness/run/confirm.js';
import type { CaseFindings } from '../../../harness/run/execute-case.js';

/** One case's latency.mean verdict; `change` is +5% (slower) unless given. */
const gate = (verdict: string, change = 0.05) => ({ verdicts: [{ caseId: 'c1', metric: 'latency.mean', verdict, change }], exitCode: verdict === 'regressed' ? 1 : 0 }) as unknown as GateReport;

/** Runs a confirmation where the first measurement judged `first` and the re-measurements judge as listed. */
async function confirmWith(confirm: number, later: (string | 'fail')[], first = 'regressed', firstChange = 0.05): Promise<{ final: string; remeasured: number; notes: string[] }> {
  const results = { cases: [{ id: 'c1', notes: [] as string[], throughput: { qps: 100 } }], gate: gate(first, firstChange) } as unknown as RunResults;
  let remeasured = 0;
  let latest = first;
  await confirmRegressions(results, {
    confirm,
    remeasure: async () => {
      const next = later[remeasured++];
      if (next === undefined) throw new Error('re-measured more often than scripted');
      if (next === 'fail') return { status: 'failed', error: { message: 'device lost' } } as unknown as CaseFindings;
      latest = next;
      return { status: 'ok', throughput: { qps: 90 } } as unknown as CaseFindings;
    },
    rejudge: () => gate(latest),
    log: () => {},
  });
  return { final: results.gate!.verdicts[0]!.verdict, remeasured, notes: results.cases[0]!.notes };
}

test('majority: more than half of the 1 + confirm measurements', () => {
  assert.equal([0, 1, 2, 3, 4].map(regressedMajority), [1, 2, 2, 3, 3]);
});

test('confirm 2: two regressed measurements of three confirm; re-measuring stops once decided', async () => {
  const twice = await confirmWith(2, ['regressed']);
  assert.equal([twice.final, twice.remeasured], ['regressed', 1]);
  assert.match(twice.notes.at(-1)!, /regressed in 2 of 2 measurements \(2 of 3 needed\); the regression is confirmed/);
  // One lucky measurement does not pass a real slowdown.
  const lucky = await confirmWith(2, ['pass', 'regressed']);
  assert.equal([lucky.final, lucky.remeasured], ['regressed', 2]);
  assert.match(lucky.notes.at(-1)!, /regressed in 2 of 3 measurements/);
  // One unlucky measurement does not fail an unchanged case.
  const unlucky = await confirmWith(2, ['pass', 'inconclusive']);
  assert.equal([unlucky.final, unlucky.remeasured], ['inconclusive', 2]);
  assert.match(unlucky.notes.at(-1)!, /regressed in 1 of 3 measurements .*not confirmed/);
});

test('confirm 3: the outcome is decided early when the majority can no longer be reached', async () => {
  const cleared = await confirmWith(3, ['pass', 'pass']);
  assert.equal([cleared.final, cleared.remeasured], ['pass', 2]);
  const confirmed = await confirmWith(3, ['regressed', 'pass', 'regressed']);
  assert.equal([confirmed.final, confirmed.remeasured], ['regressed', 3]);
});

test('a re-measurement that fails leaves the earlier measurement standing; confirm 0 re-measures nothing', async () => {
  const failed = await confirmWith(2, ['fail', 'fail']);
  assert.equal([failed.final, failed.remeasured], ['regressed', 2]);
  assert.ok(failed.notes.every((n) => /did not complete \(device lost\)/.test(n)));
  const none = await confirmWith(0, []);
  assert.equal([none.final, none.remeasured], ['regressed', 0]);
});

test('an inconclusive slower case is measured again and regressed only when both re-measurements are', async () => {
  const confirmed = await confirmWith(2, ['regressed', 'regressed'], 'inconclusive');
  assert.equal([confirmed.final, confirmed.remeasured], ['regressed', 2]);
  assert.match(confirmed.notes.at(-1)!, /regressed in 2 of 3 measurements \(2 of 3 needed\); the regression is confirmed/);
  // The first re-measurement passing decides it: two of three can no longer be reached.
  const cleared = await confirmWith(2, ['pass', 'regressed'], 'inconclusive');
  assert.equal([cleared.final, cleared.remeasured], ['pass', 1]);
  const half = await confirmWith(2, ['regressed', 'pass'], 'inconclusive');
  assert.equal([half.final, half.remeasured], ['pass', 2]);
  assert.match(half.notes.at(-1)!, /regressed in 1 of 3 measurements .*not confirmed/);
});

test('inconclusive in the faster direction, a pass or an improvement is never re-measured', async () => {
  for (const [first, change] of [['inconclusive', -0.05], ['pass', 0.01], ['improved', -0.08]] as const) {
    const r = await confirmWith(2, [], first, change);
    assert.equal([r.final, r.remeasured], [first, 0]);
  }
});

test.run();
