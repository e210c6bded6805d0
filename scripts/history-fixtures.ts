/**
 * Synthetic nights shaped like simulated-device runs (what `infergate run` writes for sim-*
 * targets: qps, latency summaries, 10 blocks, a fingerprint), for the history benchmark and
 * tests. Small on purpose: no per-thread tables beyond one thread, no samples files. Every file
 * is a valid results.json (checked against the one zod schema before it is written).
 */
import { join } from 'node:path';
import { DEFINITIONS, RESULTS_SCHEMA_VERSION, RunResultsSchema, caseId, summarizeCases, type CaseKey, type CaseResult, type EnvFingerprint, type RunResults } from '../harness/core/index.js';
import { writeAtomic } from '../harness/util/files.js';
import { seededRandom } from '../harness/util/random.js';

export interface NightOptions {
  suite: string;
  /** 1-based night number: the run starts at `start` + (night - 1) days. */
  night: number;
  start: Date;
  keys: readonly CaseKey[];
  /** Service-time factor per case (1.08 = 8% slower), as the sim's `slowdown` option. */
  slowdown?: (key: CaseKey) => number;
  /** Changes to the fingerprint, e.g. { 'runtimes.onnxruntime-node': '1.31.0' }. */
  env?: Record<string, string>;
  host?: string;
  seed: number;
}

const BASE_ENV: EnvFingerprint = {
  host: 'lab-host-1',
  os: { platform: 'linux', release: '6.1.0', distro: 'Debian GNU/Linux 12 (bookworm)', arch: 'x64' },
  cpu: { model: 'AMD EPYC', logicalCores: 2 },
  memoryGiB: 23.5,
  node: '20.20.2',
  infergate: { version: '0.1.0', commit: '29cce10d8c9ac7877034388cbf41536a62434ba1' },
  runtimes: { 'onnxruntime-node': '1.30.0', sharp: '0.35.5', tinybench: '6.2.3' },
  targets: {},
  machineClass: 'AMD-EPYC-2c',
};

function setPath(obj: Record<string, unknown>, path: string, value: string): void {
  // Target names hold dots of their own only in the last part (targets.<id>.<field>).
  const parts = path.startsWith('targets.') ? ['targets', path.slice(8, path.lastIndexOf('.')), path.slice(path.lastIndexOf('.') + 1)] : path.split('.');
  let o = obj;
  for (const p of parts.slice(0, -1)) o = (o[p] ??= {}) as Record<string, unknown>;
  o[parts.at(-1)!] = value;
}

/** A base throughput per case that looks like the sim's (images/s), stable per case. */
function baseQps(key: CaseKey): number {
  let h = 0;
  for (const ch of caseId(key)) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return (200 + (h % 800)) * key.batch * Math.min(key.threads, 2);
}

function stats(mean: number, sd: number, n: number) {
  return { n, mean, sd, min: mean - 2 * sd, p50: mean, p90: mean + 1.3 * sd, p95: mean + 1.6 * sd, p99: mean + 2.3 * sd, p999: mean + 3 * sd, max: mean + 3.2 * sd, cv: sd / mean };
}

export function simLikeNight(o: NightOptions): RunResults {
  const rnd = seededRandom(o.seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const startedAt = new Date(o.start.getTime() + (o.night - 1) * 86_400_000);
  const env = structuredClone(BASE_ENV) as EnvFingerprint & Record<string, unknown>;
  env.host = o.host ?? BASE_ENV.host;
  for (const t of new Set(o.keys.map((k) => k.target))) env.targets[t] = { sim: 'infergate-sim 1 (simulated device, no hardware)' };
  for (const [path, value] of Object.entries(o.env ?? {})) setPath(env, path, value);
  const nightLevel = 1 + 0.004 * gauss(); // a shared machine: each night sits a little off
  const cases: CaseResult[] = o.keys.map((key) => {
    const qps = (baseQps(key) / (o.slowdown?.(key) ?? 1)) * nightLevel;
    const blocksQps = Array.from({ length: 10 }, () => qps * (1 + 0.005 * gauss()));
    const meanMs = (1000 * key.batch * key.threads) / qps;
    const pooled = stats(meanMs, meanMs * 0.02, 300);
    return {
      id: caseId(key),
      key,
      status: 'ok',
      simulated: true,
      weights: 'none',
      model: { ref: key.model },
      target: { id: key.target, backend: 'sim', device: `simulated ${key.target}` },
      notes: ['SIMULATED device: a service-time model from published figures; no model runs'],
      latency: { pooled, perThread: [{ ...pooled, thread: 0 }] },
      throughput: { qps, completed: 300, images: 300 * key.batch, wallSeconds: (300 * key.batch) / qps },
      blocks: { qps: blocksQps, mean: blocksQps.map((b) => (1000 * key.batch * key.threads) / b) },
      validity: { valid: true, warnings: [] },
      startedAt: startedAt.toISOString(),
      durationSeconds: 1,
    };
  });
  const stamp = startedAt.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return {
    schemaVersion: RESULTS_SCHEMA_VERSION,
    runId: `${o.suite}-${stamp}`,
    suite: { name: o.suite, file: `suites/${o.suite}.yaml` },
    startedAt: startedAt.toISOString(),
    finishedAt: new Date(startedAt.getTime() + o.keys.length * 1000).toISOString(),
    env,
    definitions: DEFINITIONS,
    cases,
    summary: summarizeCases(cases),
  };
}

/** Writes a night as <store>/<machine class>/<run id>/results.json and returns the run folder. */
export function writeNight(store: string, machineClass: string, results: RunResults, validate = true): string {
  if (validate) RunResultsSchema.parse(results);
  const dir = join(store, machineClass, results.runId);
  writeAtomic(join(dir, 'results.json'), JSON.stringify(results));
  return dir;
}

/** n case keys on one simulated board: ResNet18 int8 over batch sizes and thread counts. */
export function boardKeys(target: string, n: number): CaseKey[] {
  return Array.from({ length: n }, (_, i) => ({ model: `resnet18-v1-7`, target, precision: 'qint8_mixed_float16' as const, batch: 1 + (i % 10), threads: 1 + Math.floor(i / 10) }));
}
