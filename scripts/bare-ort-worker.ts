/**
 * The peer for bench:overhead: the loop a user would write by hand with onnxruntime-node, in a
 * worker thread, sharing no code with the harness (only the session options it is given).
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';

interface BareJob {
  modelPath: string;
  inputName: string;
  shape: number[];
  intraOpNumThreads: number;
  warmupIterations: number;
  seconds: number;
  minIterations: number;
  go: SharedArrayBuffer;
}

const job = workerData as BareJob;
const session = await ort.InferenceSession.create(job.modelPath, {
  executionProviders: ['cpu'],
  intraOpNumThreads: job.intraOpNumThreads,
  interOpNumThreads: 1,
  graphOptimizationLevel: 'all',
  executionMode: 'sequential',
  logSeverityLevel: 3,
});
const data = new Float32Array(job.shape.reduce((a, b) => a * b, 1)).map(() => Math.random() * 4 - 2);
const feeds = { [job.inputName]: new ort.Tensor('float32', data, job.shape) };
for (let i = 0; i < job.warmupIterations; i++) await session.run(feeds);
parentPort!.postMessage({ type: 'ready' });
Atomics.wait(new Int32Array(job.go), 0, 0);
const start = performance.timeOrigin + performance.now();
let calls = 0;
let end = start;
while (end - start < job.seconds * 1000 || calls < job.minIterations) {
  await session.run(feeds);
  calls++;
  end = performance.timeOrigin + performance.now();
}
await session.release();
parentPort!.postMessage({ type: 'done', calls, start, end });
