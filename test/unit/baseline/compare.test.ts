/** The gate's verdicts: every verdict, accuracy tests, the environment diff. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bitsToBase64, type PerImageOutcomes } from '../../../harness/accuracy/per-image.js';
import { compareResults } from '../../../harness/baseline/compare.js';
import { caseVerdict, type CaseResult } from '../../../harness/core/index.js';
import { join } from 'node:path';
import { findTable } from '../../../harness/baseline/reproduce.js';
import { ROOT } from '../../helpers.js';
import { measuredBaseline, okCase, results, spread, verdictOf } from './fixtures.js';

test('pass: the same figures pass, and so does a significant change within the threshold', () => {
  const base = measuredBaseline(results([okCase()]));
  const same = compareResults(results([okCase()]), [base]);
  assert.is(verdictOf(same, 'qps').verdict, 'pass');
  assert.is(verdictOf(same, 'qps').test, 'mann-whitney');
  assert.is(same.exitCode, 0);
  const small = compareResults(results([okCase({ qps: 99, mean: 10.1 })]), [base]);
  assert.is(verdictOf(small, 'qps').verdict, 'pass');
  assert.ok(verdictOf(small, 'qps').p! < 0.01);
  assert.match(verdictOf(small, 'qps').reason, /significant but within the threshold/);
});

test('regressed and improved need the threshold AND significance; exit 1 only on regressed', () => {
  const base = measuredBaseline(results([okCase()]));
  const slow = compareResults(results([okCase({ qps: 90, mean: 11 })]), [base]);
  assert.is(verdictOf(slow, 'qps').verdict, 'regressed');
  assert.is(verdictOf(slow, 'latency.mean').verdict, 'regressed');
  assert.ok(Math.abs(verdictOf(slow, 'qps').change! + 0.1) < 1e-9);
  assert.is(slow.exitCode, 1);
  assert.is(caseVerdict(slow, okCase().id), 'regressed');
  const fast = compareResults(results([okCase({ qps: 110, mean: 9 })]), [base]);
  assert.is(verdictOf(fast, 'qps').verdict, 'improved');
  assert.is(fast.exitCode, 0);
});

test('inconclusive: beyond the threshold but the blocks do not separate', () => {
  const base = measuredBaseline(results([okCase({ blocks: { qps: [80, 120, 90, 110, 100, 85, 115, 95, 105, 100], mean: spread(10) } })]));
  const noisy = okCase({ qps: 92, blocks: { qps: [70, 118, 85, 100, 96, 80, 112, 90, 99, 70], mean: spread(10) } });
  const g = compareResults(results([noisy]), [base]);
  assert.is(verdictOf(g, 'qps').verdict, 'inconclusive');
  assert.ok(verdictOf(g, 'qps').p! >= 0.01);
  assert.is(g.exitCode, 0);
  assert.is(compareResults(results([noisy]), [base], undefined, { failOn: ['regressed', 'inconclusive'] }).exitCode, 1);
});

test('invalid: an invalid measurement is never compared silently', () => {
  const base = measuredBaseline(results([okCase()]));
  const bad = okCase({ qps: 50, validity: { valid: false, warnings: [{ code: 'short-duration', message: 'short' }] } });
  const g = compareResults(results([bad]), [base]);
  assert.is(verdictOf(g, 'qps').verdict, 'invalid');
  assert.match(verdictOf(g, 'qps').reason, /short-duration/);
  assert.is(g.exitCode, 0);
  assert.is(compareResults(results([bad]), [base], undefined, { failOn: ['regressed', 'invalid'] }).exitCode, 1);
});

test('missing: no entry, another machine class, a failed case, a case gone from the suite', () => {
  const other = okCase({ key: { model: 'resnet50-v1-7', target: 'ort-cpu', precision: 'force_float32', batch: 1, threads: 1 } });
  const base = measuredBaseline(results([okCase(), other]));
  const g1 = compareResults(results([okCase({ key: { model: 'resnet18-v1-7', target: 'ort-cpu', precision: 'force_float32', batch: 8, threads: 1 } })]), [base]);
  const noEntry = g1.verdicts.find((v) => v.caseId.endsWith('/b8/t1'))!;
  assert.is(noEntry.verdict, 'missing');
  assert.is(noEntry.metric, 'case');
  // Same suite name: the baseline's cases that this run lacks are listed.
  assert.ok(g1.verdicts.some((v) => v.verdict === 'missing' && v.reason.includes('not in this run')));
  const g2 = compareResults(results([okCase()], { machineClass: 'Other-CPU-64c' }), [base]);
  assert.match(verdictOf(g2, 'qps', okCase().id).reason, /machine class ort-cpu@Test-2c; this run is ort-cpu@Other-CPU-64c/);
  const failed = okCase({ status: 'failed', error: { kind: 'infrastructure', message: 'device lost' } });
  assert.match(verdictOf(compareResults(results([failed]), [base]), 'qps', okCase().id).reason, /case failed: device lost/);
});

test('simulated results are never compared with a hardware baseline', () => {
  const table = findTable('magicmind-resnet50-mlu370', [join(ROOT, 'baselines')]);
  const sim = okCase({ key: { model: 'resnet50-v1-7', target: 'sim-mlu370-s4', precision: 'force_float32', batch: 1, threads: 1 }, qps: 1 });
  const g = compareResults(results([sim]), [table]);
  assert.ok(g.verdicts.length > 0);
  for (const v of g.verdicts) {
    assert.is(v.verdict, 'invalid');
    assert.ok(v.simulated);
    assert.match(v.reason, /simulated result: never compared with the mlu370-s4 hardware baseline/);
  }
  assert.is(g.exitCode, 0);
});

test('FAKE SDK results are never compared with a baseline: invalid, with the reason, and kept out of baselines', () => {
  const table = findTable('magicmind-resnet50-mlu370', [join(ROOT, 'baselines')]);
  const key = { model: 'resnet50-v1-7', target: 'mlu370-s4', precision: 'force_float32' as const, batch: 1, threads: 1 };
  const fake = okCase({ key, qps: 1, fakeSdk: true });
  const g = compareResults(results([fake]), [table]);
  assert.ok(g.verdicts.length > 0);
  for (const v of g.verdicts) {
    assert.is(v.verdict, 'invalid');
    assert.ok(v.fakeSdk);
    assert.match(v.reason, /FAKE SDK: ran on infergate's fake vendor SDKs .* never compared with a hardware baseline/);
  }
  assert.is(g.exitCode, 0);
  assert.throws(() => measuredBaseline(results([fake])), /no case|nothing|FAKE SDK|refused/i);
});

test('published baselines: threshold-only, and the verdict says so', () => {
  const table = findTable('magicmind-resnet50-mlu370', [join(ROOT, 'baselines')]);
  const key = { model: 'resnet50-v1-7', target: 'mlu370-s4', precision: 'force_float32' as const, batch: 1, threads: 1 };
  const slow = compareResults(results([okCase({ key, qps: 170 })]), [table]);
  const v = verdictOf(slow, 'qps');
  assert.is(v.verdict, 'regressed');
  assert.is(v.test, 'threshold-only');
  assert.match(v.reason, /threshold-only \(the baseline has no samples\)/);
  assert.match(v.source!, /published: Cambricon magicmind_cloud.*row "MLU370-S4 force_float32 batch 1"/);
  assert.is(verdictOf(compareResults(results([okCase({ key, qps: 190 })]), [table]), 'qps').verdict, 'pass');
  // The published file states no versions, and the environment diff says so.
  assert.match(slow.envDiff[0]!.note!, /states no software versions/);
});

test('accuracy: exact McNemar on paired predictions; Wilson without them; synthetic weights get no verdict', () => {
  const n = 1000;
  const bits = (correct: (i: number) => boolean) => {
    const b = new Uint8Array(n / 8);
    for (let i = 0; i < n; i++) if (correct(i)) b[i >> 3]! |= 1 << (i & 7);
    return b;
  };
  const sha = 'a'.repeat(64);
  const before: PerImageOutcomes = { imagesSha256: sha, n, top1: bits((i) => i < 750), top5: bits((i) => i < 920) };
  const acc = (top1: number, top5: number, file?: string): CaseResult['accuracy'] => ({
    status: 'ok',
    n,
    top1: { correct: top1, value: top1 / n, ci95: [top1 / n - 0.027, top1 / n + 0.027] },
    top5: { correct: top5, value: top5 / n, ci95: [top5 / n - 0.017, top5 / n + 0.017] },
    ...(file ? { predictionsFile: file } : {}),
  });
  const base = measuredBaseline(results([okCase({ accuracy: acc(750, 920, 'p.jsonl') })]), before);
  const entry = base.baseline.entries.find((e) => e.metric === 'top1')!;
  assert.is(entry.perImage!.bits, bitsToBase64(before.top1));
  assert.is(entry.n, n);
  // 40 images lost, none gained: a 4-point drop that McNemar calls significant.
  const after: PerImageOutcomes = { imagesSha256: sha, n, top1: bits((i) => i < 710), top5: before.top5 };
  const g = compareResults(results([okCase({ accuracy: acc(710, 920, 'p.jsonl') })]), [base], () => after);
  assert.is(verdictOf(g, 'top1').verdict, 'regressed');
  assert.is(verdictOf(g, 'top1').test, 'mcnemar');
  assert.match(verdictOf(g, 'top1').reason, /40 lost, 0 gained/);
  assert.is(verdictOf(g, 'top5').verdict, 'pass');
  // Without predictions: Wilson intervals overlap for a 4-point drop at n=1000, so inconclusive.
  const w = compareResults(results([okCase({ accuracy: acc(710, 920) })]), [base]);
  assert.is(verdictOf(w, 'top1').test, 'wilson');
  assert.is(verdictOf(w, 'top1').verdict, 'inconclusive');
  // Synthetic weights: an explicit 'invalid', never a number compared.
  const syn = compareResults(results([okCase({ weights: 'synthetic', accuracy: { status: 'refused', reason: 'synthetic' } })]), [base]);
  assert.is(verdictOf(syn, 'top1').verdict, 'invalid');
  assert.match(verdictOf(syn, 'top1').reason, /synthetic weights/);
});

test('environment diff names the versions that changed', () => {
  const base = measuredBaseline(results([okCase()]));
  const g = compareResults(results([okCase()], { runtimes: { 'onnxruntime-node': '1.31.0' }, targets: { 'ort-cpu': { 'onnxruntime-node': '1.31.0' } }, node: '20.21.0' }), [base]);
  const fields = g.envDiff[0]!.changes.map((c) => `${c.field}:${c.baseline}->${c.current}`);
  assert.ok(fields.includes('runtimes.onnxruntime-node:1.30.0->1.31.0'), fields.join(' '));
  assert.ok(fields.includes('node:20.20.2->20.21.0'));
  assert.ok(fields.includes('targets.ort-cpu.onnxruntime-node:1.30.0->1.31.0'));
});

test.run();
