/** The vendor tools' summaries: the documented lines (our own text), unrecognised lines kept, and the arguments each tool gets. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { findVersion, parseHrtPerf, parseMmRunSummary } from '../../../harness/peers/parse.js';
import { invocation } from '../../../harness/peers/tools.js';
import { expandSuite } from '../../../harness/suite/expand.js';
import { parseSuite } from '../../../harness/suite/load.js';

const HRT = `loading model ...
Running condition:
  Thread number is: 4
  Frame count is: 200
  Program run time: 445.6 ms
Perf result:
  Frame totally latency is: 1762.0 ms
  Average latency is: 8.810 ms
  Frame rate is: 448.83 FPS
`;

const MM = `mm_run version: 1.7.0
=================== Performance Summary
iterations: 2024
host wall time (s): 3.0125
mlu compute time (s): 2.8
Throughput (qps): 1342.5
H2D Latency (ms): min = 0.05, max = 0.2, mean = 0.06, median = 0.06, percentile: (90%) = 0.07, (95%) = 0.08, (99%) = 0.1
MLU Compute Latency (ms): min = 2.8, max = 3.5, mean = 2.9, median = 2.9, percentile: (90%) = 3.0, (95%) = 3.1, (99%) = 3.3
D2H Latency (ms): min = 0.01, max = 0.05, mean = 0.02, median = 0.02, percentile: (90%) = 0.02, (95%) = 0.03, (99%) = 0.04
Device Utilization (%): 97.0
`;

test('hrt_model_exec perf: every documented line, nothing left over', () => {
  const p = parseHrtPerf(HRT);
  assert.equal(p.figures, { threads: 4, frames: 200, runTimeMs: 445.6, totalLatencyMs: 1762, latencyMeanMs: 8.81, fps: 448.83 });
  assert.equal(p.unrecognised, []);
  assert.is(p.version, undefined);
});

test('mm_run: throughput, iterations, times and each stage latency; a line nothing knows is kept verbatim', () => {
  const p = parseMmRunSummary(MM);
  assert.is(p.figures.qps, 1342.5);
  assert.is(p.figures.iterations, 2024);
  assert.is(p.figures.hostWallMs, 3012.5);
  assert.is(p.figures['mlucompute.mean'], 2.9);
  assert.is(p.figures['h2d.p99'], 0.1);
  assert.is(p.figures['d2h.median'], 0.02);
  assert.is(p.version, '1.7.0');
  assert.equal(p.unrecognised, ['Device Utilization (%): 97.0']);
});

test('output without the summary: no figures, and its last lines kept', () => {
  const p = parseHrtPerf('[E] cannot open model file\n');
  assert.equal(p.figures, {});
  assert.equal(p.unrecognised, ['[E] cannot open model file']);
  assert.equal(parseMmRunSummary('Segmentation fault\n').figures, {});
  assert.is(findVersion('hrt_model_exec v1.23.5'), '1.23.5');
});

const suite = (extra: string, targets = '[mlu370-s4, rdk-x5]') =>
  parseSuite(`name: p\nmodels: [resnet18-v1-7]\ntargets: ${targets}\nprecisions: [int8]\nbatch: [4]\nthreads: [2]\n${extra}`, 'suites/p.yaml');

test('peers: each tool only on its own targets; the same threads, batch, device and core; headline figures by the tool\'s definitions', () => {
  const cases = expandSuite(suite('peers: [mm_run, hrt_model_exec]\nnative: { device: 1, bpuCore: 1 }\n').suite).cases;
  const mlu = cases.find((c) => c.target.id === 'mlu370-s4')!;
  const x5 = cases.find((c) => c.target.id === 'rdk-x5')!;
  assert.equal(mlu.peers, ['mm_run']);
  assert.equal(x5.peers, ['hrt_model_exec']);
  const mm = invocation('mm_run', mlu, '/a/model.mm', 5000);
  assert.equal(mm.args.slice(0, 6), ['--magicmind_model', '/a/model.mm', '--threads', '2', '--batch_size', '4']);
  assert.ok(mm.args.join(' ').includes('--devices 1'));
  assert.equal(mm.headline(parseMmRunSummary(MM).figures, 4), { qps: 1342.5, latencyMean: 0.06 + 2.9 + 0.02, notes: ['mean latency = H2D + MLU compute + D2H means (mm_run reports the stages apart)'] });
  const hrt = invocation('hrt_model_exec', x5, '/a/model.bin', 5000);
  assert.equal(hrt.args, ['perf', '--model_file', '/a/model.bin', '--thread_num', '2', '--frame_count', '5000', '--core_id', '2']);
  assert.is(hrt.headline(parseHrtPerf(HRT).figures, 4).qps, 448.83 * 4);
});

test('peers: a tool named for a target it does not serve is a suite error naming the field', () => {
  assert.throws(() => parseSuiteChecked('peers: [hrt_model_exec]\n', '[mlu370-s4]'), /peers\[0\].*hrt_model_exec runs on rdk-x5 only/);
  assert.throws(() => parseSuiteChecked('peers: [mm_run]\ninclude: [{ model: resnet18-v1-7, target: rdk-x5, precision: int8, batch: 1, threads: 1, peers: [mm_run] }]\n', '[mlu370-s4]'), /include\[0\]\.peers\[0\].*mm_run runs on mlu370-s4 and mlu370-x4 only, not on rdk-x5/);
  assert.throws(() => parseSuiteChecked('peers: [trtexec]\n'), /peers\[0\]/);
});

function parseSuiteChecked(extra: string, targets?: string): void {
  const text = `name: p\nmodels: [resnet18-v1-7]\ntargets: ${targets ?? '[mlu370-s4]'}\nprecisions: [int8]\n${extra}`;
  parseSuite(text, 'suites/p.yaml', (s) => expandSuite(s).issues);
}

test.run();
