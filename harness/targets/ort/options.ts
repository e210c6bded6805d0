/** A case's onnxruntime session options, resolved from the suite's `ort` section. */
import os from 'node:os';
import type { Case } from '../../suite/case.js';
import type { OrtSessionConfig } from './session.js';

/** `auto` gives each measuring thread an equal share of the cores, at least one. */
export function ortSessionConfig(c: Case, cores = os.cpus().length): OrtSessionConfig {
  const intra = c.ort.intraOpThreads === 'auto' ? Math.max(1, Math.floor(cores / c.key.threads)) : c.ort.intraOpThreads;
  return {
    intraOpThreads: intra,
    interOpThreads: c.ort.interOpThreads,
    graphOptimizationLevel: c.ort.graphOptimizationLevel,
    executionMode: c.ort.executionMode,
  };
}
