/** Runs one case's work: in its own process under the watchdog (the default), or in-process (--no-isolate). */
import type { MeasureProgress } from '../core/index.js';
import type { LoadedSuite } from '../suite/load.js';
import { progressReporter } from '../report/progress.js';
import { executeCase, type CaseFindings, type CaseWork } from './execute-case.js';
import { caseBudgets, runCaseIsolated } from './isolate.js';

export interface CaseRunnerOptions {
  isolate: boolean;
  log: (line: string) => void;
  progressStream?: NodeJS.WriteStream;
  signal?: AbortSignal;
  /** Images a scored case evaluates, and the suite's dataset.timeout: the evaluation budget. */
  images: number;
  datasetTimeout?: number | 'auto';
}

export type CaseRunner = (work: CaseWork, label: string, measureProgress?: (p: MeasureProgress) => void) => Promise<CaseFindings>;

export function caseRunner(loaded: LoadedSuite, o: CaseRunnerOptions): CaseRunner {
  return (work, label, measureProgress) => {
    const progress = work.evaluate && o.progressStream ? progressReporter(o.progressStream, `accuracy on ${work.evaluate.dataset.name}:`) : undefined;
    if (!o.isolate) return executeCase(work, { signal: o.signal, log: o.log, progress, measureProgress });
    return runCaseIsolated(
      { suiteFile: loaded.file, suiteText: loaded.text, caseId: work.c.id, index: work.index, runDir: work.runDir, model: work.model, evaluate: !!work.evaluate, samplesSuffix: work.samplesSuffix },
      { budgets: caseBudgets(work.c, o.images, o.datasetTimeout), signal: o.signal, log: o.log, progress, measureProgress, started: (pid) => o.log(`      ${label} (pid ${pid})`) },
    );
  };
}
