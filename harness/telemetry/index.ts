/**
 * A case's telemetry: which sources its target and this machine offer (detected at the start;
 * an absent one is named with why), the sampler running through the measurement, then the
 * series cut to the measured window, written beside the latency samples, summarised per metric
 * and device, with evidence-based warnings. Nothing here can fail a case: a source that breaks
 * leaves its metrics absent and a warning that says why.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { TelemetrySourceStatus, TelemetrySummary, TelemetryWarning, Validity } from '../core/index.js';
import type { Measurement } from '../measure/measure.js';
import type { Case } from '../suite/case.js';
import { findOnPath } from '../util/which.js';
import { cnmonSource } from './cnmon.js';
import { latencyByInterval, writeTelemetryFile } from './file.js';
import { hostSource } from './host.js';
import { bpuSysfsSource, findBpuCores, somStatusSource } from './rdk-x5.js';
import { startSampler, trimToWindow, type Sampler } from './sampler.js';
import { procRoot, sysPath, sysRoot, type AbsentSource, type TelemetrySource } from './source.js';
import { summarizeSeries } from './summary.js';
import { explainValidity, telemetryWarnings } from './warnings.js';

export { TELEMETRY_LIMITS } from './warnings.js';

export interface CaseTelemetry {
  sampler: Sampler;
  sources: TelemetrySource[];
  absent: AbsentSource[];
  intervalMs: number;
}

/** The sources for a case: the host always (on Linux), the accelerator's where its target has one. */
export function detectSources(c: Case): { sources: TelemetrySource[]; absent: AbsentSource[] } {
  const sources: TelemetrySource[] = [];
  const absent: AbsentSource[] = [];
  const host = hostSource();
  if (host.source) sources.push(host.source);
  else absent.push({ id: 'host', reason: host.reason! });
  if (c.target.backend === 'magicmind') {
    const tool = findOnPath('cnmon');
    if (tool) sources.push(cnmonSource(tool, c.native.device));
    else absent.push({ id: 'cnmon', reason: 'cnmon is not on PATH: no MLU utilisation, memory, temperature or power' });
  } else if (c.target.backend === 'hbdnn') {
    const cores = findBpuCores();
    if (cores.length) sources.push(bpuSysfsSource(cores));
    else absent.push({ id: 'rdk-x5', reason: `no ${sysPath('sys/devices/system/bpu')}/bpu*/ratio: no BPU utilisation` });
    const tool = findOnPath('hrut_somstatus');
    if (tool) sources.push(somStatusSource(tool));
    else absent.push({ id: 'rdk-x5', reason: 'hrut_somstatus is not on PATH: no DDR/BPU/CPU temperatures' });
  }
  return { sources, absent };
}

/** Starts sampling for a case, or undefined when its suite turned telemetry off. */
export function startTelemetry(c: Case): CaseTelemetry | undefined {
  if (c.measure.telemetry === false) return undefined;
  const intervalMs = c.measure.telemetry.interval * 1000;
  const { sources, absent } = detectSources(c);
  return { sampler: startSampler(sources, intervalMs), sources, absent, intervalMs };
}

export interface TelemetryResult {
  summary: TelemetrySummary;
  /** The measurement's validity with telemetry's evidence on its drift and high-CV warnings. */
  validity: Validity;
}

/**
 * Stops sampling and makes the case's telemetry of the measured window: the file beside the
 * latency samples (runDir/file), the summary, the warnings.
 */
export async function finishTelemetry(t: CaseTelemetry, m: Measurement, c: Case, runDir: string, file: string): Promise<TelemetryResult> {
  const outcome = await t.sampler.stop();
  const window = m.window ?? { start: 0, end: 0 };
  const series = trimToWindow(outcome.series, window.start, window.end);
  const windowSeconds = (window.end - window.start) / 1000;
  const failed = new Map(outcome.failures.map((f) => [f.source, f]));
  const sources: TelemetrySourceStatus[] = t.sources.map((s) => {
    const f = failed.get(s);
    return f ? { id: s.id, status: 'failed', from: s.from, reason: `${f.reason}${f.count > 1 ? ` (${f.count} polls failed)` : ''}` } : { id: s.id, status: 'ok', from: s.from };
  });
  const metrics = summarizeSeries(series);
  const warnings: TelemetryWarning[] = outcome.failures.map((f) => ({ code: 'source-failed', message: `${f.source.id} (${f.source.from}): ${f.reason}; the metrics it could not read are absent` }));
  const ticks = outcome.ticks.filter((x) => x >= window.start && x <= window.end).length;
  if (metrics.every((x) => x.n < 2)) {
    warnings.push({ code: 'few-samples', message: `the measured window (${windowSeconds.toFixed(2)} s) held fewer than two telemetry samples at a ${t.intervalMs} ms interval` });
  }
  warnings.push(...telemetryWarnings({ series, metrics, threads: c.key.threads, batch: c.key.batch, cores: availableParallelism() }));
  if (m.window?.approximate) warnings.push({ code: 'few-samples', message: "the addon could not report its clock: the measured window was placed by when the driver returned (approximate)" });
  if (m.window) writeTelemetryFile(join(runDir, file), c.id, t.intervalMs, window, series, latencyByInterval(m.threads, window.start, window.end, t.intervalMs));
  const roots = [sysRoot(), procRoot()].filter((r) => r !== '/');
  const summary: TelemetrySummary = {
    intervalMs: t.intervalMs,
    samples: ticks,
    windowSeconds,
    ...(m.window ? { file } : {}),
    sources,
    ...(t.absent.length ? { absent: t.absent.map((a) => `${a.id}: ${a.reason}`) } : {}),
    metrics,
    warnings,
    ...(roots.length ? { fixtureRoot: roots.join(', ') } : {}),
  };
  return { summary, validity: explainValidity(m.validity, warnings, metrics) };
}

/** Stops a sampler whose measurement failed (nothing is recorded). */
export async function abandonTelemetry(t: CaseTelemetry | undefined): Promise<void> {
  if (t) await t.sampler.stop();
}
