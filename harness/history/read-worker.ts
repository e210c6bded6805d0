/** A reader thread for read-parallel.ts: reads its share of results files, sends back the runs or the first error. */
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../errors.js';
import { readHistoryFile, type ReadOptions } from './read.js';

const { files, opts } = workerData as { files: string[]; opts: ReadOptions };
try {
  parentPort!.postMessage({ runs: files.map((f) => readHistoryFile(f, opts)) });
} catch (err) {
  parentPort!.postMessage({ error: { message: err instanceof Error ? err.message : String(err), user: err instanceof UserError } });
}
