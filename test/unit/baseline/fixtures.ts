/** Results and baselines for the gate's unit tests, made through the real update path. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PerImageOutcomes } from '../../../harness/accuracy/per-image.js';
import { parseBaseline, type LoadedBaseline } from '../../../harness/baseline/schema.js';
import { updateBaseline } from '../../../harness/baseline/update.js';
import type { CaseResult, GateReport, RunResults } from '../../../harness/core/index.js';
import { readResults } from '../../../harness/report/results-file.js';
import { tempDir } from '../../helpers.js';

export const ENV = {
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

export const spread = (v: number, n = 10, wobble = 0.002) => Array.from({ length: n }, (_, i) => v * (1 + wobble * (i - n / 2) / n));

export function okCase(over: Partial<CaseResult> & { qps?: number; mean?: number } = {}): CaseResult {
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

export function results(cases: CaseResult[], env: Partial<typeof ENV> = {}): RunResults {
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
export function measuredBaseline(r: RunResults, perImage?: PerImageOutcomes): LoadedBaseline {
  const dir = tempDir();
  writeFileSync(join(dir, 'results.json'), JSON.stringify(r));
  const file = join(dir, 'baseline.json');
  updateBaseline(readResults(dir), file, () => perImage!);
  return { file, baseline: parseBaseline(readFileSync(file, 'utf8'), file) };
}

export const verdictOf = (g: GateReport, metric: string, id?: string) => g.verdicts.find((v) => v.metric === metric && (!id || v.caseId === id))!;
