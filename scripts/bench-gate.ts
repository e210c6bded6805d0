/**
 * npm run bench:gate — how often the gate cries wolf, and how often it catches a real slowdown,
 * on this machine, through the real path (runSuite -> baseline update -> compare):
 *
 *  1. A/A: the same ort-cpu case measured twice (the first run becomes the baseline, the second
 *     is gated against it), repeated N times. Every "regressed" is a false alarm.
 *  2. Injected slowdown: a simulated device with 5% longer service times (native.sim.slowdown
 *     1.05, a fresh jitter seed each time) gated against a baseline at 1.00, repeated N times.
 *     Every case that is not "regressed" on both qps and mean latency is a miss.
 *  3. A/A on the same simulated device, for the false-alarm rate where the noise is known.
 *
 * The gated run is `run --gate` itself, so a suspected regression is re-measured (--confirm,
 * default 2) before it counts; the first verdict, before confirmation, is reported too.
 *
 * Goals: at most 1 false alarm in 20 (aim for 0), >= 95% detection. Thresholds are the gate's
 * defaults unless --threshold metric=value is given (the same flags as `compare`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPerImage } from '../harness/accuracy/per-image.js';
import type { GateReport } from '../harness/core/index.js';
import { updateBaseline } from '../harness/baseline/update.js';
import { gateOptionsFromFlags } from '../harness/cli/gate-options.js';
import { readResults } from '../harness/report/results-file.js';
import { runSuite } from '../harness/run/run-suite.js';
import { checkSuite } from '../harness/suite/expand.js';
import { parseSuite } from '../harness/suite/load.js';
import { numberOption } from './bench-args.js';

const args = process.argv.slice(2);
const repeats = numberOption('repeats', 20);
const seconds = numberOption('seconds', 2);
const thresholds: string[] = [];
args.forEach((a, i) => a === '--threshold' && thresholds.push(args[i + 1]!));
const options = gateOptionsFromFlags({ threshold: thresholds });
const confirm = numberOption('confirm', 2);
const work = mkdtempSync(join(tmpdir(), 'infergate-bench-gate-'));

const measure = `measure: { warmup: { duration: 300ms, iterations: 3 }, minDuration: ${seconds}s, minIterations: 30, maxDuration: ${seconds * 4}s }`;
const ORT_SUITE = `name: bench-gate-ort
models: ['resnet18-v1-7@synthetic']
targets: [ort-cpu]
batch: [1]
threads: [1]
ort: { intraOpThreads: 1 }
${measure}
`;
const simSuite = (slowdown: number, seed: number) => `name: bench-gate-sim
models: [resnet18-v1-7]
targets: [sim-rdk-x5]
precisions: [int8]
batch: [1]
threads: [1, 4]
native: { sim: { slowdown: ${slowdown}, seed: ${seed}, jitter: 0.02 } }
${measure}
`;

async function runOnce(text: string, tag: string) {
  const loaded = parseSuite(text, join(work, `${tag}.yaml`), checkSuite);
  const outcome = await runSuite(loaded, { outDir: join(work, tag) });
  if (outcome.exitCode !== 0) throw new Error(`${tag}: run exited ${outcome.exitCode}`);
  return readResults(join(outcome.runDir, 'results.json'));
}

interface Gated {
  report: GateReport;
  /** Cases the first comparison called regressed (before any re-measurement). */
  firstRegressed: Set<string>;
}

async function gated(baselineText: string, currentText: string, tag: string): Promise<Gated> {
  const base = await runOnce(baselineText, `${tag}-base`);
  const file = join(work, `${tag}-baseline.json`);
  updateBaseline(base, file, readPerImage);
  const loaded = parseSuite(currentText, join(work, `${tag}-now.yaml`), checkSuite);
  const outcome = await runSuite(loaded, { outDir: join(work, `${tag}-now`), gate: { baselinePath: file, options, confirm } });
  const report = outcome.results.gate!;
  const firstRegressed = new Set(outcome.results.cases.filter((c) => c.notes.some((n) => n.startsWith('re-measured (1 of'))).map((c) => c.id));
  return { report, firstRegressed };
}

const pct = (x: number | undefined) => (x === undefined ? '-' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(2)}%`);
function line(i: number, { report, firstRegressed }: Gated): string {
  const again = firstRegressed.size ? ` (re-measured: ${[...firstRegressed].map((id) => id.split('/').slice(-1)[0]).join(', ')})` : '';
  return report.verdicts
    .filter((v) => v.metric === 'qps' || v.metric === 'latency.mean')
    .map((v) => `${v.caseId.split('/').slice(-1)[0]} ${v.metric} ${pct(v.change)} p=${v.p?.toPrecision(2) ?? '-'} ${v.verdict}`)
    .join(' | ')
    .replace(/^/, `  ${String(i + 1).padStart(2)}: `) + again;
}

try {
  console.log(`bench:gate: ${repeats} repeats, ${seconds} s per measurement, thresholds qps ${pct(options.thresholds?.qps)} / mean ${pct(options.thresholds?.['latency.mean'])} (unset = defaults)`);

  console.log('\n1. A/A on ort-cpu (resnet18 synthetic weights, batch 1, 1 thread, 1 intra-op thread)');
  let falseRuns = 0;
  let firstFalse = 0;
  const aaChanges: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const g = await gated(ORT_SUITE, ORT_SUITE, `aa-ort-${i}`);
    if (g.report.verdicts.some((v) => v.verdict === 'regressed')) falseRuns++;
    if (g.firstRegressed.size) firstFalse++;
    aaChanges.push(...g.report.verdicts.filter((v) => v.metric === 'qps').map((v) => v.change ?? 0));
    console.log(line(i, g));
  }
  const spread = Math.max(...aaChanges.map(Math.abs));

  console.log('\n2. Injected 5% slowdown on sim-rdk-x5 (1 and 4 threads; jitter 2%, fresh seed each run)');
  let detected = 0;
  let trials = 0;
  for (let i = 0; i < repeats; i++) {
    const g = await gated(simSuite(1, 100 + i), simSuite(1.05, 200 + i), `slow-${i}`);
    for (const id of new Set(g.report.verdicts.map((v) => v.caseId))) {
      trials++;
      const mine = g.report.verdicts.filter((v) => v.caseId === id && (v.metric === 'qps' || v.metric === 'latency.mean'));
      if (mine.length === 2 && mine.every((v) => v.verdict === 'regressed')) detected++;
    }
    console.log(line(i, g));
  }

  console.log('\n3. A/A on sim-rdk-x5 (fresh seed each run)');
  let simFalse = 0;
  for (let i = 0; i < repeats; i++) {
    const g = await gated(simSuite(1, 300 + i), simSuite(1, 400 + i), `aa-sim-${i}`);
    if (g.report.verdicts.some((v) => v.verdict === 'regressed')) simFalse++;
    console.log(line(i, g));
  }

  console.log('\nsummary');
  console.log(`  A/A ort-cpu: ${falseRuns} of ${repeats} comparisons ended in a false regression (goal <= 1), after up to ${confirm} confirming re-measurements`);
  console.log(`               ${firstFalse} of ${repeats} first comparisons (before re-measuring) said regressed; largest |qps change| that stood ${(spread * 100).toFixed(2)}%`);
  console.log(`  5% slowdown: detected in ${detected} of ${trials} cases (${((detected / trials) * 100).toFixed(1)}%, goal >= 95%; a case counts when both qps and mean latency are 'regressed')`);
  console.log(`  A/A sim:     ${simFalse} of ${repeats} comparisons had a false regression`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
