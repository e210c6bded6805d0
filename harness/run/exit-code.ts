/**
 * Exit-code policy of a run: a signal outranks everything, then bad input (2), then
 * infrastructure (3), then the gate's regression (1).
 */
import type { CaseResult, GateReport } from '../core/index.js';
import { EXIT } from '../errors.js';

export type Interruption = 'SIGINT' | 'SIGTERM';

/** Exit code from case outcomes: bad input (2) outranks infrastructure (3); otherwise 0. */
export function exitCodeFor(cases: readonly CaseResult[], interrupted?: Interruption): number {
  if (interrupted) return interrupted === 'SIGINT' ? EXIT.sigint : EXIT.sigterm;
  if (cases.some((c) => c.status === 'failed' && c.error?.kind === 'bad-input')) return EXIT.badInput;
  if (cases.some((c) => c.status === 'failed')) return EXIT.infrastructure;
  return EXIT.ok;
}

/** A failed or interrupted run says more than its verdicts: signals, then 2, then 3, then 1. */
export function combinedExitCode(runExit: number, gate: GateReport | undefined): number {
  if (runExit !== EXIT.ok) return runExit;
  return gate?.exitCode ? EXIT.regression : EXIT.ok;
}
