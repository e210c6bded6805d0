/**
 * The gate as the CLI uses it: load baselines, pair per-image predictions from the run directory,
 * compare, and merge the verdict's exit code with the run's own.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { readPerImage } from '../accuracy/per-image.js';
import { EXIT } from '../errors.js';
import { packageRoot } from '../models/assets.js';
import type { LoadedResults } from '../report/results.js';
import type { GateOptionsValue } from '../suite/schema.js';
import { compareResults, runDirPerImage, type GateOptions, type GateReport } from './compare.js';
import { parseThreshold, type MetricId } from './metrics.js';
import { loadBaselines } from './schema.js';

/** The baselines folder: ./baselines when the current folder has one, else the project's. */
export function defaultBaselineDir(): string {
  const here = resolve('baselines');
  return existsSync(here) ? here : join(packageRoot(), 'baselines');
}

/** Where a suite's gate looks: its gate.baseline (relative to the suite file), else the default. */
export function suiteBaselinePath(gate: GateOptionsValue | undefined, suiteFile: string): string {
  if (!gate?.baseline) return defaultBaselineDir();
  return isAbsolute(gate.baseline) ? gate.baseline : resolve(dirname(suiteFile), gate.baseline);
}

export function gateOptionsFromSuite(gate: GateOptionsValue | undefined): GateOptions {
  if (!gate) return {};
  const thresholds: Partial<Record<MetricId, number>> = {};
  for (const [m, v] of Object.entries(gate.thresholds)) if (v !== undefined) thresholds[m as MetricId] = parseThreshold(v);
  return { alpha: gate.alpha, thresholds, failOn: gate.failOn };
}

export function gateRun(loaded: Pick<LoadedResults, 'dir' | 'results'>, baselinePath: string, options: GateOptions): GateReport {
  const baselines = loadBaselines(baselinePath);
  return compareResults(loaded.results, baselines, runDirPerImage(loaded, readPerImage), options);
}

/** A failed or interrupted run says more than its verdicts: signals, then 2, then 3, then 1. */
export function combinedExitCode(runExit: number, gate: GateReport | undefined): number {
  if (runExit !== EXIT.ok) return runExit;
  return gate?.exitCode ? EXIT.regression : EXIT.ok;
}
