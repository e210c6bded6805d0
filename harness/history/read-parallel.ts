/**
 * Reading a large store on every core: JSON parsing and validation of a thousand results files
 * is most of what history costs, and each file is independent. Small sets stay in this thread
 * (a thread costs more to start than a few files cost to read).
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { UserError } from '../errors.js';
import { collectRuns, historyFiles, readHistoryFile, type HistoryRun, type ReadOptions } from './read.js';

const MIN_FILES_FOR_THREADS = 64;

type Reply = { runs: HistoryRun[][] } | { error: { message: string; user: boolean } };

function readInThread(files: string[], opts: ReadOptions): Promise<HistoryRun[][]> {
  return new Promise((resolve, reject) => {
    // Node's own flags pass on to the thread, except --input-type (node -e): it refuses a worker file.
    const execArgv = process.execArgv.filter((a) => !a.startsWith('--input-type'));
    const worker = new Worker(new URL('./read-worker.js', import.meta.url), { workerData: { files, opts }, execArgv });
    worker.once('message', (reply: Reply) => {
      void worker.terminate();
      if ('runs' in reply) resolve(reply.runs);
      else reject(reply.error.user ? new UserError(reply.error.message) : new Error(reply.error.message));
    });
    worker.once('error', reject);
  });
}

export async function readHistoryParallel(paths: readonly string[], opts: ReadOptions): Promise<{ runs: HistoryRun[]; files: number }> {
  const files = historyFiles(paths);
  const threads = Math.min(availableParallelism(), 4);
  if (files.length < MIN_FILES_FOR_THREADS || threads < 2) return { runs: collectRuns(files.map((f) => readHistoryFile(f, opts))), files: files.length };
  // Contiguous slices, so that putting the replies back together keeps the files' order.
  const size = Math.ceil(files.length / threads);
  const slices = Array.from({ length: threads }, (_, i) => files.slice(i * size, (i + 1) * size)).filter((s) => s.length);
  const replies = await Promise.all(slices.map((s) => readInThread(s, opts)));
  return { runs: collectRuns(replies.flat()), files: files.length };
}
