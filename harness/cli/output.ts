/** Small output helpers shared by the commands. */
import { appendFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { RunResults } from '../core/index.js';
import { renderSummary } from '../report/summary.js';

/** A path relative to the current folder when it is inside it, else absolute. */
export function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

/** GitHub Actions shows $GITHUB_STEP_SUMMARY on the job page; append ours when it is set. */
export function appendStepSummary(results: RunResults): void {
  const target = process.env.GITHUB_STEP_SUMMARY;
  if (!target) return;
  try {
    appendFileSync(target, renderSummary(results) + '\n');
  } catch (err) {
    process.stderr.write(`infergate: could not append to GITHUB_STEP_SUMMARY (${(err as Error).message}); summary.md in the run directory has the same text\n`);
  }
}

/** --json: the one document stdout carries. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}
