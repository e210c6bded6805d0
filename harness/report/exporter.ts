/**
 * Every output format is one Exporter over the same RunResults (hyperfine's shape). Exporters
 * read results only: they never call a backend, and backends never format output. An exporter is
 * a pure function of its inputs: the results, and the context the caller read for it (the
 * per-call latency samples of the run folder, for charts).
 */
import type { RunResults } from '../core/index.js';
import type { TelemetryFile } from '../telemetry/file.js';

export interface ExportContext {
  /** Per case id: each thread's latencies in ms, in call order (samples/case-NNN.json). */
  readonly samples?: ReadonlyMap<string, readonly (readonly number[])[]>;
  /** Per case id: its telemetry series and per-interval latency (telemetry/case-NNN.json). */
  readonly telemetry?: ReadonlyMap<string, TelemetryFile>;
}

export interface Exporter {
  /** Short name used by --export and in messages. */
  readonly id: string;
  /** File written in the run directory; undefined for stream-only formats (terminal). */
  readonly fileName?: string;
  /** Formats that draw charts render asynchronously (Vega's renderer is); the others return a string. */
  render(results: RunResults, context?: ExportContext): string | Promise<string>;
}

/** An exporter that renders synchronously: every text format but the charted HTML page. */
export interface TextExporter extends Exporter {
  render(results: RunResults, context?: ExportContext): string;
}
