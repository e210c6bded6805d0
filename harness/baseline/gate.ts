/**
 * The gate as the CLI uses it: load baselines, pair per-image predictions from the run directory,
 * and compare.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { readPerImage } from '../accuracy/per-image.js';
import { parseThreshold, type GateReport, type LoadedResults, type MetricId } from '../core/index.js';
import type { GateSectionValue } from '../suite/schema.js';
import { packageRoot } from '../util/package-root.js';
import { compareResults, type GateOptions } from './compare.js';
import { runDirPerImage } from './judge-accuracy.js';
import { runDirSamples } from './judge-tail.js';
import { loadBaselines } from './schema.js';

/** The baselines folder: ./baselines when the current folder has one, else the project's. */
export function defaultBaselineDir(): string {
  const here = resolve('baselines');
  return existsSync(here) ? here : join(packageRoot(), 'baselines');
}

/** Where a suite's gate looks: its gate.baseline (relative to the suite file), else the default. */
export function suiteBaselinePath(gate: GateSectionValue | undefined, suiteFile: string): string {
  if (!gate?.baseline) return defaultBaselineDir();
  return isAbsolute(gate.baseline) ? gate.baseline : resolve(dirname(suiteFile), gate.baseline);
}

export function gateOptionsFromSuite(gate: GateSectionValue | undefined): GateOptions {
  if (!gate) return {};
  const thresholds: Partial<Record<MetricId, number>> = {};
  for (const [m, v] of Object.entries(gate.thresholds)) if (v !== undefined) thresholds[m as MetricId] = parseThreshold(v);
  return { alpha: gate.alpha, thresholds, failOn: gate.failOn };
}

export function gateRun(loaded: Pick<LoadedResults, 'dir' | 'results'>, baselinePath: string, options: GateOptions): GateReport {
  const baselines = loadBaselines(baselinePath);
  return compareResults(loaded.results, baselines, runDirPerImage(loaded, readPerImage), options, runDirSamples(loaded));
}
