/**
 * One case's work: measure, then (when asked) score accuracy on the same artifact. The same code
 * runs in a case's own child process (run/case-child.ts, the default) and in-process
 * (--no-isolate); either way it returns plain data that the run records in its journal.
 */
import { join } from 'node:path';
import { evaluateCase } from '../accuracy/index.js';
import type { Dataset } from '../accuracy/dataset.js';
import { errorMessage, UserError } from '../errors.js';
import { measureCase } from '../measure/index.js';
import type { Measurement } from '../measure/measure.js';
import { writeSamplesFile } from '../measure/samples-file.js';
import type { ResolvedModel } from '../models/resolve.js';
import type { AccuracySummary, CaseResult, MeasureProgress } from '../core/index.js';
import type { Case } from '../suite/case.js';
import type { DatasetValue } from '../suite/schema.js';
import { peerBrief, telemetryBrief } from '../report/telemetry-format.js';
import { runPeers } from '../peers/index.js';
import { abandonTelemetry, finishTelemetry, startTelemetry, type CaseTelemetry } from '../telemetry/index.js';

/** The fields of a CaseResult that running the case fills in. */
export type CaseFindings = Pick<CaseResult, 'status' | 'session' | 'inputs' | 'latency' | 'throughput' | 'blocks' | 'validity' | 'timings' | 'samplesFile' | 'accuracy' | 'error' | 'telemetry' | 'peers'> & {
  notes: string[];
  /** The case stopped early because the run was interrupted. */
  interrupted?: boolean;
};

export type CasePhase = 'measure' | 'peers' | 'evaluate';

export interface CaseWork {
  c: Case;
  index: number;
  runDir: string;
  model?: ResolvedModel;
  /** Score accuracy after measuring (the parent decides: once per evaluation key, real weights only). */
  evaluate?: { dataset: Dataset; spec: DatasetValue };
  /** Suffix for a re-measurement's samples file (gate confirmation). */
  samplesSuffix?: string;
}

export interface CaseHooks {
  signal?: AbortSignal;
  log?: (line: string) => void;
  /** The case moved to another phase: the watchdog gives each phase its own budget. */
  phase?: (phase: CasePhase) => void;
  progress?: (done: number, total: number, rate: number) => void;
  /** The measurement in flight (live progress on a TTY). */
  measureProgress?: (p: MeasureProgress) => void;
}

export function measurementFindings(m: Measurement, session: Record<string, string | number>, runDir: string, samplesFile: string, id: string): CaseFindings {
  const first = m.threads[0];
  const device = m.threads.every((t) => t.deviceSamples) ? m.threads.map((t) => t.deviceSamples!) : undefined;
  writeSamplesFile(join(runDir, samplesFile), id, m.threads.map((t) => t.samples), device);
  return {
    status: 'ok',
    session,
    inputs: m.inputs,
    latency: { pooled: m.pooled, perThread: m.threads.map((t) => ({ thread: t.index, ...t.latency })), ...(m.device ? { device: m.device } : {}) },
    throughput: m.throughput,
    blocks: m.blocks,
    validity: m.validity,
    ...(first ? { timings: { sessionCreateMs: first.sessionCreateMs, firstCallMs: first.firstCallMs, warmupCalls: first.warmupCalls } } : {}),
    samplesFile,
    notes: [],
  };
}

/** Telemetry that cannot even start (a broken /proc) costs the case its telemetry, never its measurement. */
function safeStartTelemetry(c: CaseWork['c'], log: (line: string) => void): CaseTelemetry | undefined {
  try {
    return startTelemetry(c);
  } catch (err) {
    log(`      telemetry off: ${errorMessage(err)}`);
    return undefined;
  }
}

export async function executeCase(work: CaseWork, hooks: CaseHooks = {}): Promise<CaseFindings> {
  const { c, index, runDir } = work;
  const log = hooks.log ?? (() => {});
  const number = String(index + 1).padStart(3, '0');
  const interrupted = () => hooks.signal?.aborted === true;
  let findings: CaseFindings;
  let telemetry: CaseTelemetry | undefined;
  try {
    hooks.phase?.('measure');
    telemetry = safeStartTelemetry(c, log);
    // The ort threads are released together at a moment this process sees: sample right then.
    let opened = false;
    const onProgress = (p: MeasureProgress) => {
      if (p.phase === 'measure' && !opened && c.target.backend === 'ort') {
        opened = true;
        telemetry?.sampler.sampleNow();
      }
      hooks.measureProgress?.(p);
    };
    const { measurement: m, session } = await measureCase(c, work.model?.path ?? '', hooks.signal, onProgress);
    findings = measurementFindings(m, session, runDir, `samples/case-${number}${work.samplesSuffix ?? ''}.json`, c.id);
    log(`      ${m.throughput.qps.toFixed(2)} qps, mean ${m.pooled.mean.toFixed(3)} ms, p99 ${m.pooled.p99.toFixed(3)} ms${m.validity.valid ? '' : ' (INVALID)'}`);
    if (telemetry) {
      const t = await finishTelemetry(telemetry, m, c, runDir, `telemetry/case-${number}${work.samplesSuffix ?? ''}.json`).catch((err: unknown) => {
        findings.notes.push(`telemetry not recorded: ${errorMessage(err)}`);
        return undefined;
      });
      telemetry = undefined;
      if (t) {
        findings.telemetry = t.summary;
        findings.validity = t.validity;
        log(`      telemetry: ${telemetryBrief(t.summary)}`);
      }
    }
  } catch (err) {
    await abandonTelemetry(telemetry);
    const kind = err instanceof UserError ? 'bad-input' : 'infrastructure';
    if (interrupted()) return { status: 'skipped', notes: [`interrupted: ${errorMessage(err)}`], interrupted: true };
    log(`      failed (${kind}): ${errorMessage(err)}`);
    return { status: 'failed', error: { kind, message: errorMessage(err) }, notes: [] };
  }
  // Vendor tools run once per case: a gate confirmation's re-measurement (samplesSuffix) does not rerun them.
  if (c.peers.length && !work.samplesSuffix && work.model?.path && findings.throughput && findings.latency && !interrupted()) {
    hooks.phase?.('peers');
    const ours = { qps: findings.throughput.qps, latencyMean: findings.latency.pooled.mean, calls: findings.throughput.completed };
    findings.peers = await runPeers(c, work.model.path, ours, runDir, `${number}${work.samplesSuffix ?? ''}`, hooks.signal);
    for (const p of findings.peers) log(`      vendor tool: ${peerBrief(p)}${p.reason ? ` (${p.reason})` : ''}`);
  }
  if (interrupted()) {
    findings.notes.push('interrupted: measured until the current call ended');
    findings.interrupted = true;
    return findings;
  }
  if (work.evaluate && work.model) {
    hooks.phase?.('evaluate');
    const rel = `predictions/case-${number}.jsonl`;
    let acc: AccuracySummary;
    try {
      acc = await evaluateCase(c, work.model, work.evaluate.dataset, work.evaluate.spec, join(runDir, rel), rel, hooks.progress, hooks.signal);
      const ic = acc.inputCache;
      const cache = ic ? `; input cache ${ic.status}${ic.bytes ? `, ${(ic.bytes / 1e6).toFixed(1)} MB` : ''}${ic.reason ? ` (${ic.reason})` : ''}` : '';
      log(`      top-1 ${(acc.top1!.value * 100).toFixed(2)}%, top-5 ${(acc.top5!.value * 100).toFixed(2)}% on ${acc.n} images (${acc.imagesPerSecond!.toFixed(1)} img/s${cache})`);
      for (const w of ic?.warnings ?? []) log(`      warning: ${w}`);
      const skipped = acc.skipped ?? [];
      if (skipped.length) {
        // Said on the terminal and in every report, not only listed in results.json.
        const note = `${skipped.length} image${skipped.length > 1 ? 's' : ''} skipped and not scored (dataset.onError: skip), e.g. ${skipped[0]!.file}: ${skipped[0]!.reason}`;
        findings.notes.push(note);
        log(`      ${note}`);
      }
    } catch (err) {
      if (interrupted()) {
        findings.notes.push('interrupted during accuracy: not scored');
        findings.interrupted = true;
        return findings;
      }
      const kind = err instanceof UserError ? 'bad-input' : 'infrastructure';
      acc = { status: 'failed', reason: errorMessage(err) };
      findings.status = 'failed';
      findings.error = { kind, message: `accuracy: ${errorMessage(err)}` };
      log(`      accuracy failed (${kind}): ${errorMessage(err)}`);
    }
    findings.accuracy = acc;
  }
  return findings;
}
