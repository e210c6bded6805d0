/**
 * The inference side of evaluation for the native backends (magicmind, hbdnn): one NativeSession
 * on the case's artifact, batches in, top-5 out. The addon runs each call off the JS thread, so
 * decoding (sharp, libvips threads) and inference overlap without a worker; calls are chained so
 * results come back in dataset order. The backend dequantises outputs (int8/int16/int32 with
 * SCALE or SHIFT, float16) to float32 logits.
 *
 * Batches follow the case: a mutable-batch model (MagicMind graph_shape_mutable) takes each
 * call's batch, a short last one included; a fixed-batch artifact gets full batches, and its last
 * batch is padded with zeros whose rows are never scored.
 */
import { InfraError, UserError } from '../errors.js';
import { classifyNativeError } from '../measure/native.js';
import { loadNative, type NativeSessionHandle, type NativeTensorDesc } from '../targets/native.js';
import type { Encoding } from './encoding.js';
import type { BatchEngine, BatchResult } from './engine.js';
import { topK } from './topk.js';
import { tensorLength } from './preprocess.js';
import { firstBatchProblem } from './sanity.js';

export interface NativeEngineOptions {
  backend: 'magicmind' | 'hbdnn';
  artifact: string;
  /** The backend's options (device, BPU core, timeout), as for measuring. */
  options: Record<string, string | number>;
  batch: number;
  /** The target's encoding for the model's first input, as the model describes it. */
  encode: (input: NativeTensorDesc) => Encoding;
}

export class NativeEngine implements BatchEngine {
  readonly ready: Promise<{ fixedBatch?: number }> = Promise.resolve({});
  private tail: Promise<unknown> = Promise.resolve();
  private calls = 0;

  private constructor(
    private readonly session: NativeSessionHandle,
    private readonly backend: string,
    readonly encoding: Encoding,
    /** Images per call of a fixed-batch model; undefined when the batch is per call. */
    readonly fixedBatch: number | undefined,
    private readonly bytesPerImage: number,
  ) {}

  /** Opens the session and reads what its input takes; refuses what the encoding cannot feed. */
  static open(o: NativeEngineOptions): NativeEngine {
    const { addon, reason } = loadNative();
    if (!addon) throw new InfraError(reason ?? 'native addon unavailable');
    let session: NativeSessionHandle;
    try {
      session = new addon.NativeSession(o.backend, o.artifact, { ...o.options, batch: o.batch });
    } catch (err) {
      throw classifyNativeError(o.backend, (err as Error).message);
    }
    try {
      const inputs = session.inputs();
      if (inputs.length !== 1) throw new UserError(`${o.backend}: the model ${o.artifact} has ${inputs.length} inputs; image classification evaluation feeds one`);
      const input = inputs[0]!;
      const encoding = o.encode(input);
      const modelBatch = input.dims[0]!;
      const fixedBatch = input.mutableBatch ? undefined : modelBatch;
      if (fixedBatch !== undefined && fixedBatch !== o.batch) {
        throw new UserError(`${o.backend}: the artifact ${o.artifact} has a fixed batch of ${fixedBatch}, but the case runs batch ${o.batch}; convert it for batch ${o.batch} (infergate convert --force)`);
      }
      const perImage = input.bytes / modelBatch;
      const expected = tensorLength(encoding.spec) * (encoding.spec.output !== 'nv12' && encoding.spec.dtype === 'float32' ? 4 : 1);
      if (perImage !== expected) {
        throw new UserError(`${o.backend}: the model's input '${input.name}' takes ${perImage} bytes per image, the encoding makes ${expected} (${encoding.rule})`);
      }
      return new NativeEngine(session, o.backend, encoding, fixedBatch, perImage);
    } catch (err) {
      session.close();
      throw err;
    }
  }

  infer(data: Float32Array | Uint8Array, count: number): Promise<BatchResult> {
    const run = this.tail.then(() => this.call(data, count));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async call(data: Float32Array | Uint8Array, count: number): Promise<BatchResult> {
    const rows = this.fixedBatch ?? count;
    let bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (rows !== count) {
      const padded = new Uint8Array(rows * this.bytesPerImage);
      padded.set(bytes);
      bytes = padded;
    }
    let outputs: Float32Array[];
    try {
      outputs = await this.session.infer([bytes], { batch: rows });
    } catch (err) {
      throw new InfraError(`${this.backend}: inference failed during evaluation: ${(err as Error).message}`);
    }
    const logits = outputs[0];
    if (!logits || logits.length % rows !== 0) throw new InfraError(`${this.backend}: the model's first output has ${logits?.length ?? 0} values, not a whole number per image of a batch of ${rows}`);
    const classes = logits.length / rows;
    if (this.calls++ === 0) {
      const problem = firstBatchProblem(logits, count, classes);
      if (problem) throw new InfraError(`${this.backend}: ${problem}`);
    }
    const { index, score } = topK(logits, count, classes, 5);
    return { top5: index, scores: score };
  }

  async close(): Promise<void> {
    await this.tail;
    this.session.close();
  }
}
