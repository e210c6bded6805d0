/**
 * The per-call latency samples a run folder holds (samples/case-NNN.json, written by the
 * measurement), read for the exporters that draw distributions. A missing or unreadable file
 * costs only its chart's detail: the chart falls back to the summary percentiles.
 */
import { resolve } from 'node:path';
import type { RunResults } from '../core/index.js';
import { readSamplesFile } from '../measure/samples-file.js';
import type { ExportContext } from './exporter.js';
import { readTelemetryFile, type TelemetryFile } from '../telemetry/file.js';

/** Each case's per-thread latencies, from the samples file its result names (relative to the run folder, or absolute in a merged file). */
export function readSamples(runDir: string, results: RunResults): Map<string, number[][]> {
  const out = new Map<string, number[][]>();
  for (const c of results.cases) {
    // Absent or unreadable (a results file copied without its folder): the chart uses the percentiles.
    const file = c.samplesFile ? readSamplesFile(resolve(runDir, c.samplesFile)) : undefined;
    if (file && file.id === c.id) out.set(c.id, file.threads);
  }
  return out;
}

/** What the exporters of a run folder get beside its results. */
export function exportContext(runDir: string, results: RunResults): ExportContext {
  const telemetry = new Map<string, TelemetryFile>();
  for (const c of results.cases) {
    const t = c.telemetry?.file ? readTelemetryFile(resolve(runDir, c.telemetry.file)) : undefined;
    if (t && t.id === c.id) telemetry.set(c.id, t);
  }
  return { samples: readSamples(runDir, results), telemetry };
}
