/**
 * Device telemetry and vendor tools through the fake lab: the stand-in cnmon, hrut_somstatus,
 * mm_run and hrt_model_exec on PATH (test/fake-sdk/toolchain/bin, our own text in the documented
 * layouts) and the fake BPU sysfs root. An mlu370-s4 and an rdk-x5 case carry MLU/BPU telemetry
 * and a vendor-tool figure with its ratio; `reproduce` prints published | vendor tool | infergate;
 * malformed or failing tool output never fails a case.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { RunResults } from '../../harness/core/index.js';
import { findOnPath } from '../../harness/util/which.js';
import { ROOT, runCli, tempDir, testWhen, writeSuite, writeTinyModel, type CliResult } from '../helpers.js';
import { makeColourDataset } from './colour-dataset.js';

const labTest = testWhen(!!findOnPath('python3') && !!findOnPath(process.env.CXX ?? 'g++'), 'the fake lab needs python3 and g++ (CI has both)');
const dir = tempDir('infergate-telemetry-lab-');

function suite(name: string, batch = '[1, 4]'): string {
  return writeSuite(
    dir,
    `${name}.yaml`,
    `name: ${name}
models: [./tiny.onnx]
targets: [mlu370-s4, rdk-x5]
precisions: [qint8_mixed_float16]
batch: ${batch}
threads: [1]
peers: [mm_run, hrt_model_exec]
measure: { warmup: { duration: 0.1s, iterations: 2 }, minDuration: 2.5s, minIterations: 5, maxDuration: 10s }
calibration: { images: ./colour/calibration, select: { first: 4 } }
`,
  );
}

function fakeLab(args: string[], env: Record<string, string> = {}): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'fake-lab.mjs'), ...args], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', INFERGATE_FAKE_LAB_CACHE: join(dir, 'cache'), ...env },
    timeout: 600_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
const resultsOf = (out: string): RunResults => JSON.parse(readFileSync(join(out, 'results.json'), 'utf8'));
const metric = (c: RunResults['cases'][number], m: string) => c.telemetry!.metrics.filter((x) => x.metric === m);

labTest('mlu370-s4 carries cnmon telemetry and mm_run figures; rdk-x5 BPU sysfs, hrut_somstatus and hrt_model_exec; FAKE SDK throughout', async () => {
  writeTinyModel(dir);
  await makeColourDataset(join(dir, 'colour'), 8);
  const out = join(dir, 'run-lab');
  const r = fakeLab(['run', suite('lab'), '--out', out]);
  assert.is(r.code, 0, r.stderr);
  const cases = resultsOf(out).cases;
  assert.is(cases.length, 4);
  for (const c of cases) {
    assert.is(c.status, 'ok');
    assert.ok(c.fakeSdk);
    assert.ok(metric(c, 'cpu.util').length, `${c.id}: host telemetry too`);
    const p = c.peers!;
    assert.is(p.length, 1);
    assert.is(p[0]!.status, 'ok', p[0]!.reason);
    assert.is(p[0]!.version, '0.0.0-fake');
    assert.ok(p[0]!.qps! > 0 && Math.abs(p[0]!.ratio.qps! - c.throughput!.qps / p[0]!.qps!) < 1e-9);
    assert.ok(p[0]!.command!.includes(String(c.key.batch)) || p[0]!.tool === 'hrt_model_exec');
    assert.match(readFileSync(join(out, p[0]!.outputFile!), 'utf8'), p[0]!.tool === 'mm_run' ? /Throughput \(qps\)/ : /Frame rate is/);
    if (c.key.target === 'mlu370-s4') {
      assert.is(p[0]!.tool, 'mm_run');
      for (const m of ['mlu.util', 'mlu.mem', 'mlu.temp', 'mlu.power']) assert.equal(metric(c, m).map((x) => x.device), ['mlu0'], `${c.id} ${m}`);
      const util = metric(c, 'mlu.util')[0]!;
      assert.ok(util.min >= 82 && util.max <= 94, `${util.min}..${util.max}`);
      assert.equal(p[0]!.unrecognised, ['device utilisation, memory, power and temperature: see cnmon (the fake reports none)']);
    } else {
      assert.is(p[0]!.tool, 'hrt_model_exec');
      assert.is(metric(c, 'bpu.util')[0]!.mean, 88);
      assert.equal(metric(c, 'bpu.freq').map((x) => [x.device, x.mean, x.ceiling]), [['bpu0', 1000, 1000]]);
      assert.equal(metric(c, 'soc.temp').map((x) => x.device), ['BPU', 'CPU', 'DDR']);
      assert.ok(c.telemetry!.fixtureRoot, 'the fake BPU sysfs is a fixture root, and the results say so');
      // 88% on the BPU in a batch-4 case: the evidence-based hint.
      assert.is(c.telemetry!.warnings.some((w) => w.code === 'accelerator-idle'), c.key.batch > 1, c.id);
    }
  }
  assert.match(r.stdout, /mlu \d+%, mlu \d+ C, \d+ W \(sysfs fixture\)\s+mm_run [\d.]+ img\/s \(x[\d.]+\)\s+FAKE SDK/, r.stdout);
  assert.match(r.stdout, /bpu 88% \(sysfs fixture\)\s+hrt_model_exec [\d.]+ img\/s \(x[\d.]+\)\s+FAKE SDK/);
  const html = readFileSync(join(out, 'report.html'), 'utf8');
  assert.match(html, /<h2 id="peers">Vendor tools/);
  assert.match(html, /data-chart="telemetry--tiny-onnx-rdk-x5/);

  // reproduce: a table of this tiny model's rows (the shape of baselines/published/*.json).
  const entry = (metricId: string, row: string, value: number, unit: string) => ({
    direction: metricId === 'qps' ? 'higher' : 'lower',
    key: { model: './tiny.onnx', target: 'rdk-x5', precision: 'qint8_mixed_float16', batch: 4, threads: 1 },
    machineClass: 'rdk-x5',
    metric: metricId,
    row,
    tolerance: 0.05,
    unit,
    value,
  });
  const table = join(dir, 'tiny-table.json');
  writeFileSync(
    table,
    JSON.stringify({
      schemaVersion: 1,
      name: 'tiny-rdk-x5',
      description: 'a made-up table for the fake lab',
      simulated: false,
      entries: [entry('qps', 'FPS, batch 4', 1000, 'img/s'), entry('latency.mean', 'latency, batch 4', 4, 'ms')],
      provenance: { type: 'published', document: 'test', table: 'made up', url: 'https://example.invalid', versions: {}, notes: [] },
      table: { title: 'tiny on the fake RDK X5' },
    }),
  );
  const rep = runCli(['reproduce', table, '--results', out], { cwd: dir });
  assert.is(rep.code, 0, rep.stderr);
  assert.match(rep.stdout, /row\s+published\s+vendor tool\s+tool\/published\s+infergate\s+infergate\/published/);
  assert.match(rep.stdout, /FPS, batch 4\s+1000\.00 img\/s\s+[\d.]+ img\/s \(hrt_model_exec 0\.0\.0-fake\) FAKE SDK\s+[\d.]+\s+[\d.]+ img\/s FAKE SDK\s+[\d.]+/);
});

labTest('malformed or failing tool output never fails a case: the metric is absent and a warning says why', () => {
  const out = join(dir, 'run-broken');
  const r = fakeLab(['run', suite('broken', '[1]'), '--out', out], { FAKE_CNMON: 'malformed', FAKE_SOMSTATUS: 'fail', FAKE_PEER: 'malformed' });
  assert.is(r.code, 0, r.stderr);
  for (const c of resultsOf(out).cases) {
    assert.is(c.status, 'ok', c.id);
    assert.ok(c.throughput!.qps > 0);
    const failed = c.telemetry!.sources.filter((s) => s.status === 'failed');
    assert.is(failed.length, 1, c.id);
    assert.ok(c.telemetry!.warnings.some((w) => w.code === 'source-failed'));
    assert.is(c.peers![0]!.status, 'failed');
    assert.match(c.peers![0]!.reason!, /printed no summary line infergate recognises/);
    assert.ok(existsSync(join(out, c.peers![0]!.outputFile!)), 'the raw output is kept');
    if (c.key.target === 'mlu370-s4') {
      assert.equal(metric(c, 'mlu.util'), []);
      assert.match(failed[0]!.reason!, /cnmon info -u printed no utilisation \(MLU Average\) line/);
    } else {
      assert.equal(metric(c, 'soc.temp'), []);
      assert.is(metric(c, 'bpu.util')[0]!.mean, 88, 'the sysfs part still counts');
      assert.match(failed[0]!.reason!, /hrut_somstatus exited with 1/);
    }
  }
  assert.match(r.stdout, /telemetry source-failed: cnmon/);
  assert.match(r.stdout, /hrt_model_exec \(vendor tool\) failed/);
});

test.run();
