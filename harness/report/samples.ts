/**
 * The per-call latency samples a run folder holds (samples/case-NNN.json, written by the
 * measurement), read for the exporters that draw distributions. A missing or unreadable file
 * costs only its chart's detail: the chart falls back to the summary percentiles.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { RunResults } from '../core/index.js';
import type { ExportContext } from './exporter.js';
import { readTelemetryFile, type TelemetryFile } from '../telemetry/file.js';

/** The samples file's shape (measurementFindings writes it). */
export const SamplesFileSchema = z.object({
  id: z.string(),
  unit: z.literal('ms'),
  order: z.string(),
  threads: z.array(z.array(z.number())),
});

export function readSamples(runDir: string, results: RunResults): Map<string, number[][]> {
  const out = new Map<string, number[][]>();
  for (const c of results.cases) {
    if (!c.samplesFile) continue;
    try {
      const parsed = SamplesFileSchema.safeParse(JSON.parse(readFileSync(join(runDir, c.samplesFile), 'utf8')));
      if (parsed.success && parsed.data.id === c.id) out.set(c.id, parsed.data.threads);
    } catch {
      // absent (a results file copied without its folder): the chart uses the percentiles
    }
  }
  return out;
}

/** What the exporters of a run folder get beside its results. */
export function exportContext(runDir: string, results: RunResults): ExportContext {
  const telemetry = new Map<string, TelemetryFile>();
  for (const c of results.cases) {
    const t = c.telemetry?.file ? readTelemetryFile(join(runDir, c.telemetry.file)) : undefined;
    if (t && t.id === c.id) telemetry.set(c.id, t);
  }
  return { samples: readSamples(runDir, results), telemetry };
}
