/**
 * Entry point of a case's own process (forked by run/isolate.ts). It rebuilds the case from the
 * suite text, runs it, and reports over IPC. A crash, an abort() in a driver, an out-of-memory
 * kill or a hang here costs this process only; the run records the case and goes on.
 */
import { loadDataset } from '../accuracy/dataset.js';
import { errorMessage, UserError } from '../errors.js';
import { expandSuite } from '../suite/expand.js';
import { parseSuite } from '../suite/load.js';
import { markProcessDedicated } from '../util/thread-priority.js';
import { executeCase, type CaseFindings } from './execute-case.js';
import type { ChildJob, ChildMessage, ParentMessage } from './isolate.js';

// This process runs one case and ends with it: evaluation may lower its decoding threads.
markProcessDedicated();

const controller = new AbortController();
const send = (m: ChildMessage) => new Promise<void>((resolve) => (process.send ? process.send(m, undefined, {}, () => resolve()) : resolve()));

// Ctrl-C reaches the whole process group: stop after the current call, as the parent does.
process.on('SIGINT', () => controller.abort('SIGINT'));
process.on('SIGTERM', () => controller.abort('SIGTERM'));

async function run(job: ChildJob): Promise<CaseFindings> {
  const loaded = parseSuite(job.suiteText, job.suiteFile);
  const c = expandSuite(loaded.suite).cases.find((x) => x.id === job.caseId);
  if (!c) return { status: 'failed', error: { kind: 'infrastructure', message: `case process: no case ${job.caseId} in the suite` }, notes: [] };
  const evaluate = job.evaluate && loaded.suite.dataset ? { dataset: loadDataset(loaded.suite.dataset, loaded.baseDir), spec: loaded.suite.dataset } : undefined;
  return executeCase(
    { c, index: job.index, runDir: job.runDir, model: job.model, evaluate, samplesSuffix: job.samplesSuffix },
    {
      signal: controller.signal,
      log: (line) => void send({ type: 'log', line }),
      phase: (phase) => void send({ type: 'phase', phase }),
      progress: (done, total, rate) => void send({ type: 'progress', done, total, rate }),
      measureProgress: (progress) => void send({ type: 'measure-progress', progress }),
    },
  );
}

process.on('message', (m: ParentMessage) => {
  if (m.type === 'stop') {
    controller.abort(m.reason);
    return;
  }
  run(m.job).catch(failedFindings).then(finish);
});

/** Any error, the user's or the machine's, becomes the case's failure with its own message (no stack). */
function failedFindings(err: unknown): CaseFindings {
  return { status: 'failed', error: { kind: err instanceof UserError ? 'bad-input' : 'infrastructure', message: `case process: ${errorMessage(err)}` }, notes: [] };
}

let finished = false;
async function finish(findings: CaseFindings): Promise<void> {
  if (finished) return;
  finished = true;
  await send({ type: 'done', findings });
  process.disconnect?.();
  // Native threads or open handles must not keep a finished case alive.
  setTimeout(() => process.exit(0), 200).unref();
}

// The run that started this case is gone (kill -9, a crash): a case nobody will record stops now.
process.on('disconnect', () => {
  if (!finished) process.exit(1);
});

// A rejection nobody awaited (a worker's error racing a batch) ends the case as a failure, not a crash with a stack.
process.on('unhandledRejection', (err) => void finish(failedFindings(err)));
process.on('uncaughtException', (err) => void finish(failedFindings(err)));
