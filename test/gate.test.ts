/** The gate: significance tests, every verdict, baseline files, update refusals, reports. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { bitsToBase64, type PerImageOutcomes } from '../harness/accuracy/per-image.js';
import { caseVerdict, compareResults, type GateReport } from '../harness/baseline/compare.js';
import { combinedExitCode } from '../harness/baseline/gate.js';
import { BASELINE_SCHEMA_VERSION, loadBaselines, parseBaseline, type BaselineFile, type LoadedBaseline } from '../harness/baseline/schema.js';
import { stableJson } from '../harness/report/write.js';
import { updateBaseline } from '../harness/baseline/update.js';
import { findTable, reproduce } from '../harness/baseline/reproduce.js';
import { UserError } from '../harness/errors.js';
import { blocks, mannWhitneyU, mcnemarExact } from '../harness/measure/stats.js';
import { renderJunit } from '../harness/report/junit.js';
import { csvExporter } from '../harness/report/csv.js';
import { readResults, type CaseResult, type RunResults } from '../harness/report/results.js';
import { renderSummary } from '../harness/report/summary.js';
import { ROOT, tempDir } from './helpers.js';

// ---- statistics ----------------------------------------------------------------------------

test('Mann-Whitney U: exact p-values for small untied samples', () => {
  // Fully separated 3 vs 3: only 1 of C(6,3)=20 orderings is as extreme on each side.
  const r = mannWhitneyU([1, 2, 3], [4, 5, 6]);
  assert.is(r.u, 0);
  assert.ok(r.exact);
  assert.ok(Math.abs(r.p - 0.1) < 1e-12);
  // 10 vs 10 fully separated: 2 / C(20,10).
  const ten = mannWhitneyU([...Array(10).keys()], [...Array(10).keys()].map((x) => x + 100));
  assert.ok(Math.abs(ten.p - 2 / 184756) < 1e-12);
  // Interleaved samples are not significant.
  assert.ok(mannWhitneyU([1, 3, 5, 7, 9], [2, 4, 6, 8, 10]).p > 0.5);
});

test('Mann-Whitney U: the normal approximation handles ties and large samples', () => {
  const a = Array.from({ length: 200 }, (_, i) => Math.floor(i / 10));
  const b = a.map((x) => x + 3);
  const r = mannWhitneyU(a, b);
  assert.not.ok(r.exact);
  assert.ok(r.p < 0.01, `p ${r.p}`);
  assert.ok(mannWhitneyU(a, [...a]).p > 0.9);
});

test('exact McNemar: binomial tail on the discordant pairs, no underflow at 50,000', () => {
  assert.ok(Math.abs(mcnemarExact(0, 10) - 2 * 0.5 ** 10) < 1e-15);
  assert.is(mcnemarExact(5, 5), 1);
  assert.is(mcnemarExact(0, 0), 1);
  // P(X <= 1 | n = 6) = 7/64, two-sided 14/64.
  assert.ok(Math.abs(mcnemarExact(1, 5) - 14 / 64) < 1e-12);
  const big = mcnemarExact(24_000, 26_000);
  assert.ok(big > 0 && big < 1e-10, `p ${big}`);
});

test('blocks: per-block qps summed over threads, and per-block mean latency', () => {
  // Two threads, 10 calls each of 10 ms back to back: each block of 5 calls spans 50 ms.
  const thread = (offset: number) => ({ starts: Array.from({ length: 10 }, (_, i) => offset + i * 10), ends: Array.from({ length: 10 }, (_, i) => offset + i * 10 + 10) });
  const b = blocks([thread(0), thread(3)], 2, 2);
  assert.equal(b.qps.map((q) => Math.round(q)), [400, 400]); // 2 threads x 5 calls x 2 images / 0.05 s
  assert.equal(b.mean, [10, 10]);
  assert.is(blocks([thread(0)], 1, 10).qps.length, 5); // at least two calls a block
});

// ---- fixtures ------------------------------------------------------------------------------

const ENV = {
  host: 'h',
  os: { platform: 'linux', release: '6.1', arch: 'x64' },
  cpu: { model: 'Test CPU', logicalCores: 2 },
  memoryGiB: 8,
  node: '20.20.2',
  infergate: { version: '0.1.0' },
  runtimes: { 'onnxruntime-node': '1.30.0' },
  targets: { 'ort-cpu': { 'onnxruntime-node': '1.30.0' } },
  machineClass: 'Test-2c',
};

const spread = (v: number, n = 10, wobble = 0.002) => Array.from({ length: n }, (_, i) => v * (1 + wobble * (i - n / 2) / n));

function okCase(over: Partial<CaseResult> & { qps?: number; mean?: number } = {}): CaseResult {
  const qps = over.qps ?? 100;
  const mean = over.mean ?? 10;
  const key = over.key ?? { model: 'resnet18-v1-7', target: 'ort-cpu', precision: 'force_float32' as const, batch: 1, threads: 1 };
  const stats = { n: 1000, mean, sd: 0.1, min: mean * 0.9, p50: mean, p90: mean, p95: mean, p99: mean * 1.1, p999: mean * 1.2, max: mean * 1.3, cv: 0.01 };
  const { qps: _q, mean: _m, ...rest } = over;
  return {
    id: `${key.model}/${key.target}/${key.precision}/b${key.batch}/t${key.threads}`,
    key,
    status: 'ok',
    simulated: key.target.startsWith('sim-'),
    weights: key.target.startsWith('sim-') ? 'none' : 'real',
    model: { ref: key.model },
    target: { id: key.target, backend: key.target === 'ort-cpu' ? 'ort' : key.target.startsWith('sim-') ? 'sim' : 'magicmind', device: 'd' },
    notes: [],
    latency: { pooled: stats, perThread: [{ thread: 0, ...stats }] },
    throughput: { qps, completed: 1000, images: 1000, wallSeconds: 10 },
    blocks: { qps: spread(qps), mean: spread(mean) },
    validity: { valid: true, warnings: [] },
    ...rest,
  };
}

function results(cases: CaseResult[], env: Partial<typeof ENV> = {}): RunResults {
  return {
    schemaVersion: 1,
    runId: 'run-now',
    suite: { name: 'unit', file: 'unit.yaml' },
    startedAt: '2026-11-22T00:00:00.000Z',
    finishedAt: '2026-11-22T00:01:00.000Z',
    env: { ...ENV, ...env } as RunResults['env'],
    definitions: { percentile: 'p', throughput: 't', latencyUnit: 'ms' },
    cases,
    summary: { total: cases.length, ok: cases.length, failed: 0, unavailable: 0, skipped: 0, invalid: 0 },
  };
}

/** A measured baseline made through the real update path from a results object. */
function measuredBaseline(r: RunResults, perImage?: PerImageOutcomes): LoadedBaseline {
  const dir = tempDir();
  writeFileSync(join(dir, 'results.json'), JSON.stringify(r));
  const file = join(dir, 'baseline.json');
  updateBaseline(readResults(dir), file, () => perImage!);
  return { file, baseline: parseBaseline(readFileSync(file, 'utf8'), file) };
}

const verdictOf = (g: GateReport, metric: string, id?: string) => g.verdicts.find((v) => v.metric === metric && (!id || v.caseId === id))!;

// ---- verdicts ------------------------------------------------------------------------------

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

test('exit codes: an interrupted or failed run outranks a regression', () => {
  const reg = { exitCode: 1 } as GateReport;
  assert.is(combinedExitCode(0, reg), 1);
  assert.is(combinedExitCode(0, { exitCode: 0 } as GateReport), 0);
  assert.is(combinedExitCode(3, reg), 3);
  assert.is(combinedExitCode(2, reg), 2);
  assert.is(combinedExitCode(130, reg), 130);
});

// ---- baseline files ------------------------------------------------------------------------

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

// ---- reports -------------------------------------------------------------------------------

test('JUnit: one testcase per case x metric, regressions are failures, suite text escaped', () => {
  const base = measuredBaseline(results([okCase()]));
  const r = results([okCase({ qps: 80, mean: 12.5 })]);
  r.suite.name = 'evil<&>"suite';
  r.gate = compareResults(r, [base]);
  const xml = renderJunit(r);
  assert.is((xml.match(/<testcase /g) ?? []).length, r.gate.verdicts.length);
  assert.match(xml, /failures="3"/); // qps, mean and p99
  assert.match(xml, /<failure type="regressed"/);
  assert.match(xml, /evil&lt;&amp;&gt;&quot;suite/);
  assert.not.match(xml, /evil<&>/);
  const csv = csvExporter.render(r);
  assert.match(csv.split('\n')[0]!, /verdict,verdict_qps,verdict_latency_mean,verdict_latency_p99,verdict_top1,verdict_top5/);
  assert.match(csv.split('\n')[1]!, /,regressed,regressed,regressed,/);
  const md = renderSummary(r);
  assert.match(md, /gate \*\*FAILED\*\*/);
  assert.match(md, /\*\*REGRESSED\*\*/);
});

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
});

test.run();
