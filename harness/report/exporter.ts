/**
 * Every output format is one Exporter over the same RunResults (hyperfine's shape). Exporters
 * read results only: they never call a backend, and backends never format output.
 */
import type { RunResults } from '../core/index.js';

export interface Exporter {
  /** Short name used by --format and in messages. */
  readonly id: string;
  /** File written in the run directory; undefined for stream-only formats (terminal). */
  readonly fileName?: string;
  render(results: RunResults): string;
}
