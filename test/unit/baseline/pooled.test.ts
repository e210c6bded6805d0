/** Issue 16's gate: pooled baselines and their run-to-run spread, noisy measurements refused, the p99 binomial test, device time first on simulated devices. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareResults } from '../../../harness/baseline/compare.js';
import { parseBaseline, type LoadedBaseline } from '../../../harness/baseline/schema.js';
import { updateBaseline } from '../../../harness/baseline/update.js';
import { caseVerdict, type CaseResult, type RunResults } from '../../../harness/core/index.js';
import { UserError } from '../../../harness/errors.js';
import { renderHtml } from '../../../harness/report/html.js';
import { renderMarkdown } from '../../../harness/report/markdown.js';
import { readResults } from '../../../harness/report/results-file.js';
import { tempDir } from '../../helpers.js';
import { okCase, results, spread, verdictOf } from './fixtures.js';

function pooled(runs: RunResults[], acceptNoisy = false): LoadedBaseline {
  const loaded = runs.map((r, i) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'results.json'), JSON.stringify({ ...r, runId: `run-${i}` }));
    return readResults(dir);
  });
  const file = join(tempDir(), 'baseline.json');
  updateBaseline(loaded, file, () => undefined as never, { acceptNoisy });
  return { file, baseline: parseBaseline(readFileSync(file, 'utf8'), file) };
}

test('baseline update pools several runs: blocks of every run, each run\'s value, the run-to-run spread', () => {
  const base = pooled([results([okCase({ qps: 100 })]), results([okCase({ qps: 106 })]), results([okCase({ qps: 94 })])]);
  const qps = base.baseline.entries.find((e) => e.metric === 'qps')!;
  assert.is(base.baseline.schemaVersion, 2);
  assert.is(qps.value, 100);
  assert.is(qps.blocks!.length, 30);
  assert.equal(qps.runValues, [100, 106, 94]);
  assert.equal(qps.runIds, ['run-0', 'run-1', 'run-2']);
  assert.ok(Math.abs(qps.spread! - 0.06) < 1e-9);
  assert.is(qps.calls, 3000);
  assert.equal(base.baseline.provenance.type === 'measured' && base.baseline.provenance.runs.map((r) => r.runId), ['run-0', 'run-1', 'run-2']);
});

test('baseline update warns when pooled runs differ by more than the threshold: the gate cannot resolve changes within that spread', () => {
  const update = (qps: number[]) => {
    const loaded = qps.map((q, i) => {
      const dir = tempDir();
      writeFileSync(join(dir, 'results.json'), JSON.stringify({ ...results([okCase({ qps: q })]), runId: `run-${i}` }));
      return readResults(dir);
    });
    return updateBaseline(loaded, join(tempDir(), 'baseline.json'), () => undefined as never);
  };
  const wide = update([100, 106, 94]).wide;
  assert.equal(wide.map((w) => [w.metric, w.spread, w.threshold]), [['qps', 0.06, 0.03]]);
  assert.match(wide[0]!.message, /^resnet18-v1-7\/ort-cpu\/force_float32\/b1\/t1 throughput: the 3 runs differ by up to 6\.0% \(100, 106, 94 img\/s\), more than the 3\.0% threshold, so the gate will not call a change under 6\.0% a regression/);
  assert.equal(update([100, 101, 99]).wide, [], 'runs within 1%: no warning');
  assert.equal(update([100]).wide, [], 'one run has no spread');
});

test('a change within the baseline\'s own run-to-run spread is no regression; one beyond it is', () => {
  const wide = pooled([results([okCase({ qps: 100 })]), results([okCase({ qps: 106 })]), results([okCase({ qps: 94 })])]);
  const single = pooled([results([okCase({ qps: 100 })])]);
  const now = results([okCase({ qps: 95 })]); // -5%: beyond the 3% threshold, inside the 6% spread
  const v = verdictOf(compareResults(now, [wide]), 'qps');
  assert.is(v.verdict, 'pass');
  assert.match(v.reason, /-5\.0% within the baseline's own 6% run-to-run spread/);
  assert.is(verdictOf(compareResults(now, [single]), 'qps').verdict, 'regressed');
  const slow = verdictOf(compareResults(results([okCase({ qps: 85 })]), [wide]), 'qps');
  assert.is(slow.verdict, 'regressed');
  assert.match(slow.reason, /^throughput: 30 baseline blocks from 3 runs of 100 calls against 10 blocks of 100 calls now; the slower blocks overlap the baseline's less than chance allows \(Mann-Whitney p = \S+\); -15\.0% beyond the 3% threshold and the baseline's 6% run-to-run spread$/);
});

test('baseline update refuses a noisy measurement, naming the case and why, unless accepted', () => {
  const noisy = okCase({ validity: { valid: true, warnings: [{ code: 'high-cv', message: 'latency varies by 47.0% without outliers (> 10%)' }] } });
  assert.throws(() => pooled([results([noisy])]), (e: Error) => e instanceof UserError && /resnet18-v1-7\/ort-cpu\/force_float32\/b1\/t1: noisy measurement, not a baseline: high-cv: latency varies by 47\.0%.*--accept-noisy/.test(e.message));
  assert.ok(pooled([results([noisy])], true).baseline.entries.some((e) => e.metric === 'qps'));
  // Pooling skips the noisy run and keeps the quiet ones.
  const mixed = pooled([results([okCase({ qps: 100 })]), results([{ ...noisy, throughput: { ...noisy.throughput!, qps: 50 } }]), results([okCase({ qps: 102 })])]);
  assert.equal(mixed.baseline.entries.find((e) => e.metric === 'qps')!.runValues, [100, 102]);
});

test('p99: an exact binomial test on the calls beyond the baseline\'s p99, beside the threshold', () => {
  const base = pooled([results([okCase()])]); // p99 = 11 ms
  const tail = (p99: number) => okCase({ latency: { pooled: { ...okCase().latency!.pooled, p99 }, perThread: [] } });
  const calls = (slow: number) => Array.from({ length: 1000 }, (_, i) => (i < slow ? 20 : 10));
  const g = compareResults(results([tail(14)]), [base], undefined, {}, () => calls(50));
  const v = verdictOf(g, 'latency.p99');
  assert.is(v.verdict, 'regressed');
  assert.is(v.test, 'binomial');
  assert.match(v.reason, /^p99 latency: 50 of 1,000 calls \(5\.00%\) are slower than the baseline's p99 of 11\.000 ms, where 1% \(10\) is expected: exact binomial p = \S+; p99 \+27\.3% beyond the 25% threshold$/);
  assert.ok(v.p! < 1e-10);
  // 12 of 1000 beyond is what chance gives against 1%: the same +27% is inconclusive.
  const loose = verdictOf(compareResults(results([tail(14)]), [base], undefined, {}, () => calls(12)), 'latency.p99');
  assert.is(loose.verdict, 'inconclusive');
  assert.ok(loose.p! > 0.01);
  // Without the run's samples the threshold alone decides, and says so.
  assert.match(verdictOf(compareResults(results([tail(14)]), [base]), 'latency.p99').reason, /threshold-only \(the run folder has no per-call samples/);
});

function simCase(host: number, device: number): CaseResult {
  const key = { model: 'resnet18-v1-7', target: 'sim-rdk-x5', precision: 'qint8_mixed_float16' as const, batch: 1, threads: 1 };
  const c = okCase({ key, qps: 1000 / host, mean: host });
  const d = { n: 1000, mean: device, sd: 0, min: device, p50: device, p90: device, p95: device, p99: device * 1.01, p999: device * 1.02, max: device * 1.02, cv: 0.005 };
  return { ...c, latency: { ...c.latency!, device: d }, blocks: { ...c.blocks!, device: spread(device) } };
}

test('a simulated device is judged on its device time first; the worst metric decides the case', () => {
  const base = pooled([results([simCase(2.95, 2.228)])]);
  assert.ok(base.baseline.entries.some((e) => e.metric === 'device.mean' && e.blocks?.length === 10));
  // The host was slow (a busy machine), the device was not: no regression.
  const busy = compareResults(results([simCase(3.4, 2.228)]), [base]);
  assert.is(verdictOf(busy, 'device.mean').verdict, 'pass');
  assert.is(verdictOf(busy, 'latency.mean').verdict, 'pass');
  assert.match(verdictOf(busy, 'latency.mean').reason, /^host timing said regressed .*not held against the simulated device, whose device time did not move so: mean device time \+0\.0% \(pass\)/);
  assert.is(busy.exitCode, 0);
  // 10% slower device and host: regressed on both, exit 1.
  const slow = compareResults(results([simCase(2.95 * 1.1, 2.228 * 1.1)]), [base]);
  assert.is(verdictOf(slow, 'device.mean').verdict, 'regressed');
  assert.is(verdictOf(slow, 'latency.mean').verdict, 'regressed');
  assert.is(slow.exitCode, 1);
  // Faster host, slower device: the host's improvement is not the device's; the case is regressed.
  const odd = compareResults(results([simCase(2.5, 2.228 * 1.1)]), [base]);
  assert.is(verdictOf(odd, 'qps').verdict, 'pass');
  assert.is(caseVerdict(odd, okCase().id.replace('ort-cpu/force_float32', 'sim-rdk-x5/qint8_mixed_float16')), 'regressed');
});

test('the worst verdict wins: more throughput does not excuse a slower mean; every report shows each metric', async () => {
  const base = pooled([results([okCase()])]);
  const mixed = results([okCase({ qps: 120, mean: 12 })]);
  mixed.gate = compareResults(mixed, [base]);
  assert.is(verdictOf(mixed.gate, 'qps').verdict, 'improved');
  assert.is(verdictOf(mixed.gate, 'latency.mean').verdict, 'regressed');
  assert.is(caseVerdict(mixed.gate, mixed.cases[0]!.id), 'regressed');
  const md = renderMarkdown(mixed);
  assert.match(md, /\| case \| verdict \| qps \| latency\.mean \| latency\.p99 \|\n/);
  assert.match(md, /\| resnet18-v1-7\/ort-cpu\/force_float32\/b1\/t1 \| \*\*REGRESSED\*\* \| improved \| \*\*REGRESSED\*\* \| pass \|/);
  const html = await renderHtml(mixed);
  assert.match(html, /<tr><td>resnet18-v1-7\/ort-cpu\/force_float32\/b1\/t1<\/td><td><span class="verdict v-regressed">regressed<\/span><\/td><td><span class="verdict v-improved">improved<\/span><\/td><td><span class="verdict v-regressed">regressed<\/span><\/td>/);
});

test.run();
