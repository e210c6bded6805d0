/**
 * npm run bench:gate — does the gate cry wolf on this machine, and does it catch a real slowdown?
 * Through the real path (runSuite -> baseline update, pooled -> run --gate with confirmation), at
 * the suite's default run length, alternating A/A and A/B runs in one process so that the
 * machine's slow spells fall on both:
 *
 *  ort-cpu: A = synthetic ResNet18 (batch 1, 1 thread, 1 intra-op thread); B = the same network
 *    with its third stage 24 channels wider (280 instead of 256: about 5% more expensive here;
 *    widths that are not multiples of 8 cost more than their arithmetic, so measure before
 *    changing it; the measured cost ratio is printed).
 *  sim-rdk-x5 (1 and 4 threads): A = the device model; B = native.sim.slowdown 1.05 and 1.10.
 *
 * Each comparison gates one fresh run against a baseline pooled from the three latest A runs
 * (as a lab builds one: `baseline update RUN RUN RUN`). A/A: every regressed case is a false
 * alarm. A/B: a case counts as detected when its verdict (the worst of its metrics) is regressed.
 *
 * Goals (issue 16): A/A at most 1 in 20 on ort-cpu and 0 in 20 on the sim; detection at least 90%
 * for 5% on ort-cpu and 100% for 10%.
 *
 * Options: `npm run bench:gate -- --help`. Smoke run: --pairs 2 --seconds 1.
 */
import { Option } from 'commander';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readPerImage } from '../harness/accuracy/per-image.js';
import { updateBaseline } from '../harness/baseline/update.js';
import { collect, gateOptionsFromFlags } from '../harness/cli/gate-options.js';
import { caseVerdict, type GateReport, type LoadedResults, type MetricId } from '../harness/core/index.js';
import { baselineObjections, deviceObjections } from '../harness/measure/validity.js';
import { generateResNet } from '../harness/models/resnet-synthetic.js';
import { readResults } from '../harness/report/results-file.js';
import { runSuite } from '../harness/run/run-suite.js';
import { checkSuite } from '../harness/suite/expand.js';
import { parseSuite } from '../harness/suite/load.js';
import { benchArgs, count, positiveSeconds } from './bench-args.js';

interface Flags { pairs: number; seconds?: number; confirm?: number; only?: 'ort' | 'sim'; widen: string; threshold?: string[] }
const flags = benchArgs<Flags>('bench:gate', 'false-regression and detection rates of the gate on ort-cpu and the simulated RDK X5', (c) => c
  .option('--pairs <n>', 'A/A and A/B comparisons per target', count(), 20)
  .option('--seconds <s>', 'measure.minDuration of every run (default: the suite default, 10 s)', positiveSeconds)
  .option('--confirm <n>', 'confirming re-measurements (default: the gate\'s, 2)', count(0))
  .addOption(new Option('--only <target>', 'one side only').choices(['ort', 'sim']))
  .option('--widen <a,b,c,d>', 'channels added per ResNet18 stage for the ort-cpu B model', '0,0,24,0')
  .option('--threshold <metric=value>', 'practical threshold, as for infergate run --gate (repeatable)', collect), ['', '--pairs 2 --seconds 1', '--only sim --pairs 5']);
const { pairs, only } = flags;
const thresholds = flags.threshold ?? [];
const seconds = flags.seconds ?? NaN;
const confirmFlag = flags.confirm ?? NaN;
const widen = flags.widen.split(',').map(Number) as [number, number, number, number];
if (widen.length !== 4 || widen.some((w) => !Number.isInteger(w) || w < 0)) {
  console.error(`bench:gate: --widen takes four whole numbers of channels, one per stage, e.g. 0,0,24,0; got '${flags.widen}'.`);
  process.exit(2);
}
const options = gateOptionsFromFlags({ threshold: thresholds });
const work = mkdtempSync(join(tmpdir(), 'infergate-bench-gate-'));
const POOL = 3;

// The suite's default run length unless --seconds shortens it (smoke runs).
const measure = Number.isFinite(seconds) ? `measure: { warmup: { duration: 300ms, iterations: 3 }, minDuration: ${seconds}s, minIterations: 30, maxDuration: ${Math.max(10, seconds * 4)}s }` : '';
const gateSection = Number.isFinite(confirmFlag) ? `gate: { confirm: ${confirmFlag} }` : '';

function ortSuite(model: string): string {
  return `name: bench-gate-ort
models: [{ id: '${model}', name: resnet18-bench }]
targets: [ort-cpu]
batch: [1]
threads: [1]
ort: { intraOpThreads: 1 }
${measure}
${gateSection}
`;
}

const simSuite = (slowdown: number, seed: number) => `name: bench-gate-sim
models: [resnet18-v1-7]
targets: [sim-rdk-x5]
precisions: [int8]
batch: [1]
threads: [1, 4]
native: { sim: { slowdown: ${slowdown}, seed: ${seed} } }
${measure}
${gateSection}
`;

let runs = 0;
async function run(text: string, tag: string, baseline?: string): Promise<{ loaded: LoadedResults; gate?: GateReport }> {
  const loaded = parseSuite(text, join(work, `${tag}.yaml`), checkSuite);
  const confirm = loaded.suite.gate?.confirm ?? 2;
  const outcome = await runSuite(loaded, { outDir: join(work, `run-${++runs}-${tag}`), ...(baseline ? { gate: { baselinePath: baseline, options, confirm } } : {}) });
  if (outcome.exitCode !== 0 && outcome.exitCode !== 1) throw new Error(`${tag}: run exited ${outcome.exitCode}`);
  return { loaded: readResults(join(outcome.runDir, 'results.json')), gate: outcome.results.gate };
}

/** Per A run that `baseline update` refused: the checks that objected (validity codes). */
const refusedRuns = new Map<LoadedResults, Set<string>>();
/** The checks that keep a run's cases out of a baseline, as `baseline update` applies them. */
function objectionCodes(run: LoadedResults): Set<string> {
  const objections = run.results.cases.flatMap((c) => [
    ...(c.validity ? baselineObjections(c.validity, c.latency?.pooled.n ?? 0) : []),
    ...(c.latency?.device ? deviceObjections(c.latency.device).map((o) => `device ${o}`) : []),
  ]);
  return new Set(objections.map((o) => o.split(':')[0]!));
}
/**
 * A baseline pooled from the latest A runs, through `baseline update`. A measurement it refuses as
 * noisy is recorded and then taken anyway (--accept-noisy): a lab would measure again, but the
 * bench must compare every pair to count its rates.
 */
function pooledBaseline(history: LoadedResults[], tag: string): string {
  const file = join(work, `${tag}-baseline-${runs}.json`);
  const pool = history.slice(-POOL);
  let refused: boolean;
  try {
    refused = updateBaseline(pool, file, readPerImage).refused.length > 0;
  } catch {
    refused = true; // every measurement refused
  }
  if (refused) {
    for (const run of pool) {
      const codes = refusedRuns.has(run) ? undefined : objectionCodes(run);
      if (codes?.size) refusedRuns.set(run, codes);
    }
    updateBaseline(pool, file, readPerImage, { acceptNoisy: true });
  }
  return file;
}

/** Which checks refused how many distinct A runs, e.g. "outliers 4, high-cv 1". */
function refusalSummary(): string {
  const byCode = new Map<string, number>();
  for (const codes of refusedRuns.values()) for (const code of codes) byCode.set(code, (byCode.get(code) ?? 0) + 1);
  return [...byCode].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${code} ${n}`).join(', ');
}

const pct = (x: number | undefined) => (x === undefined ? '-' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`);
const SHOWN: MetricId[] = ['qps', 'latency.mean', 'device.mean'];
function line(kind: string, i: number, gate: GateReport): string {
  const ids = [...new Set(gate.verdicts.map((v) => v.caseId))];
  return `  ${kind} ${String(i + 1).padStart(2)}: ` + ids.map((id) => {
    const shown = gate.verdicts.filter((v) => v.caseId === id && SHOWN.includes(v.metric as MetricId)).map((v) => `${v.metric} ${pct(v.change)}`);
    return `${id.split('/').slice(-1)[0]} ${caseVerdict(gate, id)} (${shown.join(', ')})`;
  }).join(' | ');
}

interface Tally { hits: number; trials: number }
/** The first verdict's change of a metric of the run's (only) case, or NaN. */
const changeOf = (g: GateReport, metric: MetricId) => g.verdicts.find((v) => v.metric === metric)?.change ?? NaN;
function spreadLine(label: string, changes: readonly number[]): string {
  const xs = changes.filter(Number.isFinite);
  const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return `  ${label}: mean ${pct(mean)}, sd ${(sd * 100).toFixed(1)}%, range ${pct(Math.min(...xs))} to ${pct(Math.max(...xs))} over ${xs.length}`;
}
const regressedCases = (g: GateReport) => [...new Set(g.verdicts.map((v) => v.caseId))].filter((id) => caseVerdict(g, id) === 'regressed').length;
const caseCount = (g: GateReport) => new Set(g.verdicts.map((v) => v.caseId)).size;
const rate = (t: Tally) => `${t.hits} of ${t.trials}${t.trials ? ` (${((t.hits / t.trials) * 100).toFixed(0)}%)` : ''}`;

async function benchOrt(): Promise<{ aa: Tally; ab: Tally; cost: number; noise: string[] }> {
  const a = join(work, 'resnet18-a.onnx');
  const b = join(work, 'resnet18-b.onnx');
  writeFileSync(a, generateResNet('resnet18-v1').bytes);
  writeFileSync(b, generateResNet('resnet18-v1', 1, { extraChannels: widen }).bytes);
  console.log(`\nort-cpu: A = synthetic ResNet18, B = stages widened by [${widen.join(', ')}] channels; baseline pooled from the ${POOL} latest A runs`);
  const history: LoadedResults[] = [];
  for (let i = 0; i < POOL; i++) history.push((await run(ortSuite(a), 'ort-a')).loaded);
  const aa: Tally = { hits: 0, trials: 0 };
  const ab: Tally = { hits: 0, trials: 0 };
  const ratios: number[] = [];
  const aaChanges: number[] = [];
  const abChanges: number[] = [];
  for (let i = 0; i < pairs; i++) {
    const baseline = pooledBaseline(history, 'ort');
    const sameRun = await run(ortSuite(a), 'ort-a', baseline);
    aa.hits += regressedCases(sameRun.gate!) ? 1 : 0;
    aa.trials++;
    console.log(line('A/A', i, sameRun.gate!));
    aaChanges.push(changeOf(sameRun.gate!, 'latency.mean'));
    const slowRun = await run(ortSuite(b), 'ort-b', baseline);
    ab.hits += regressedCases(slowRun.gate!);
    ab.trials += caseCount(slowRun.gate!);
    console.log(line('A/B', i, slowRun.gate!));
    abChanges.push(changeOf(slowRun.gate!, 'latency.mean'));
    // The median call, not the mean: one slow spell in either run would move the cost estimate.
    const typical = (l: LoadedResults) => l.results.cases[0]?.latency?.pooled.p50 ?? NaN;
    ratios.push(typical(slowRun.loaded) / typical(sameRun.loaded));
    history.push(sameRun.loaded);
  }
  const cost = ratios.sort((x, y) => x - y)[Math.floor(ratios.length / 2)] ?? NaN;
  console.log(`  measured cost ratio B / A (median over pairs of the median call's latency): ${cost.toFixed(3)}`);
  // The A/A changes are this machine's run-to-run noise against a pooled baseline at this run length.
  const noise = [spreadLine('A/A mean-latency change (the machine\'s own drift)', aaChanges), spreadLine('A/B mean-latency change', abChanges)];
  noise.forEach((l) => console.log(l));
  return { aa, ab, cost, noise };
}

async function benchSim(): Promise<{ aa: Tally; five: Tally; ten: Tally }> {
  console.log(`\nsim-rdk-x5 (1 and 4 threads): A = the device model, B = slowdown 1.05 and 1.10; a fresh seed every run; baseline pooled from the ${POOL} latest A runs`);
  const history: LoadedResults[] = [];
  let seed = 100;
  for (let i = 0; i < POOL; i++) history.push((await run(simSuite(1, seed++), 'sim-a')).loaded);
  const aa: Tally = { hits: 0, trials: 0 };
  const five: Tally = { hits: 0, trials: 0 };
  const ten: Tally = { hits: 0, trials: 0 };
  for (let i = 0; i < pairs; i++) {
    const baseline = pooledBaseline(history, 'sim');
    const sameRun = await run(simSuite(1, seed++), 'sim-a', baseline);
    aa.hits += regressedCases(sameRun.gate!) ? 1 : 0;
    aa.trials++;
    console.log(line('A/A  ', i, sameRun.gate!));
    for (const [slowdown, tally] of [[1.05, five], [1.1, ten]] as const) {
      const slowRun = await run(simSuite(slowdown, seed++), `sim-${slowdown}`, baseline);
      tally.hits += regressedCases(slowRun.gate!);
      tally.trials += caseCount(slowRun.gate!);
      console.log(line(`x${slowdown.toFixed(2)}`, i, slowRun.gate!));
    }
    history.push(sameRun.loaded);
  }
  return { aa, five, ten };
}

try {
  const confirm = Number.isFinite(confirmFlag) ? confirmFlag : 2;
  console.log(`bench:gate: ${pairs} pairs, ${Number.isFinite(seconds) ? `${seconds} s` : 'the suite default (10 s)'} per measurement, up to ${confirm} confirming re-measurements, thresholds ${thresholds.join(' ') || 'the defaults'}`);
  const ort = only === 'sim' ? undefined : await benchOrt();
  const sim = only === 'ort' ? undefined : await benchSim();
  console.log('\nsummary (goal in brackets)');
  if (ort) {
    console.log(`  ort-cpu A/A false regressions:  ${rate(ort.aa)} comparisons   [at most 1 in 20]`);
    console.log(`  ort-cpu A/B detection (cost ratio ${ort.cost.toFixed(3)}): ${rate(ort.ab)} cases   [at least 90% for 5%]`);
    ort.noise.forEach((l) => console.log(l));
  }
  if (sim) {
    console.log(`  sim A/A false regressions:      ${rate(sim.aa)} comparisons   [0 in 20]`);
    console.log(`  sim x1.05 detection:            ${rate(sim.five)} cases`);
    console.log(`  sim x1.10 detection:            ${rate(sim.ten)} cases   [100%]`);
  }
  const n = refusedRuns.size;
  if (n) console.log(`  (baseline update refused ${n} A run${n > 1 ? 's' : ''} as noisy, by check: ${refusalSummary()}; each sits in up to ${POOL} pooled baselines, and the bench took ${n > 1 ? 'them' : 'it'} with --accept-noisy so that every pair could be compared)`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
