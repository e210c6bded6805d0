/**
 * A preprocessing worker thread (prep-pool.ts): decodes, resizes and crops with sharp, lays the
 * pixels out as the cache stores them (uint8 in the model's colour order and layout, or NV12).
 * libvips gets one thread per image here: the pool's size is
 * what spreads the work over the cores.
 */
import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import sharp from 'sharp';
import type { PreprocessSpec } from '../models/registry.js';
import { decodeAndCrop, ImageError, toTensor } from './preprocess.js';

export interface PrepJob {
  /** The stored (uint8) spec: input-key.ts storedSpec. */
  spec: PreprocessSpec;
}
export type PrepRequest = { id: number; file: string };
export type PrepReply = { id: number; data?: Uint8Array; error?: string };

const job = workerData as PrepJob;

async function prepare(m: PrepRequest): Promise<PrepReply> {
  try {
    const input = readFileSync(m.file);
    const { rgb, width, height } = await decodeAndCrop(input, job.spec);
    const data = toTensor(rgb, width, height, job.spec) as Uint8Array;
    return { id: m.id, data };
  } catch (err) {
    return { id: m.id, error: err instanceof ImageError ? err.message : `cannot read image: ${(err as Error).message}` };
  }
}

if (parentPort && workerData) {
  sharp.concurrency(1);
  parentPort.on('message', (m: PrepRequest) => {
    void prepare(m).then((r) => parentPort!.postMessage(r, r.data ? [r.data.buffer as ArrayBuffer] : []));
  });
}
