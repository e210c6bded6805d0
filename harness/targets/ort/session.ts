/**
 * The `ort` backend: onnxruntime-node sessions on the CPU, with the suite's session options and
 * onnxruntime's own log noise turned off. Used by measuring threads and by evaluation.
 */
import * as ort from 'onnxruntime-node';
import { seededRandom } from '../../util/random.js';

export interface OrtSessionConfig {
  intraOpThreads: number;
  interOpThreads: number;
  graphOptimizationLevel: 'disabled' | 'basic' | 'extended' | 'all';
  executionMode: 'sequential' | 'parallel';
}

/**
 * What evaluation may add: onnxruntime's idle pool threads spin-wait for the next op by default
 * (faster hand-over, a busy core); spinning false lets them sleep, for an evaluation that decodes
 * images on the same cores. Measurement always keeps the default.
 */
export type OrtEvalSessionConfig = OrtSessionConfig & { spinning?: boolean };

const NO_SPINNING = { session: { intra_op: { allow_spinning: '0' }, inter_op: { allow_spinning: '0' } } };

/** onnxruntime severity 3 = errors only: its warnings (unused initializers...) are not ours to print. */
const ORT_LOG_ERRORS_ONLY = 3;

export function sessionOptions(config: OrtEvalSessionConfig): ort.InferenceSession.SessionOptions {
  return {
    executionProviders: ['cpu'],
    intraOpNumThreads: config.intraOpThreads,
    interOpNumThreads: config.interOpThreads,
    graphOptimizationLevel: config.graphOptimizationLevel,
    executionMode: config.executionMode,
    logSeverityLevel: ORT_LOG_ERRORS_ONLY,
    ...(config.spinning === false ? { extra: NO_SPINNING } : {}),
  };
}

export async function createSession(modelPath: string, config: OrtEvalSessionConfig): Promise<ort.InferenceSession> {
  ort.env.logLevel = 'error';
  return ort.InferenceSession.create(modelPath, sessionOptions(config));
}

export function ortVersion(): string {
  return ort.env.versions.node ?? 'unknown';
}

export interface InputDescription {
  name: string;
  type: string;
  shape: number[];
}

/** Resolves symbolic dimensions: the first one is the batch; others must be fixed. */
export function concreteShape(name: string, shape: readonly (number | string)[], batch: number): number[] {
  return shape.map((d, i) => {
    if (typeof d === 'number' && d > 0) {
      if (i === 0 && d !== batch) {
        throw new ShapeError(`input '${name}' has a fixed batch dimension of ${d}, so batch ${batch} cannot run; export the model with a symbolic batch dimension or use batch [${d}]`);
      }
      return d;
    }
    if (i === 0) return batch;
    throw new ShapeError(`input '${name}' has a symbolic dimension '${String(d)}' at axis ${i}; only the batch axis may be symbolic`);
  });
}

export class ShapeError extends Error {}

/**
 * Deterministic input tensors for timing. Values look like normalised images (roughly -2..2)
 * so no denormals slow the kernels; the data does not change what is being timed.
 */
export function makeFeeds(session: ort.InferenceSession, batch: number, seed = 7): { feeds: Record<string, ort.Tensor>; inputs: InputDescription[] } {
  const feeds: Record<string, ort.Tensor> = {};
  const inputs: InputDescription[] = [];
  const random = seededRandom(seed);
  for (const meta of session.inputMetadata) {
    if (!meta.isTensor) throw new ShapeError(`input '${meta.name}' is not a tensor; infergate feeds tensors only`);
    const shape = concreteShape(meta.name, meta.shape, batch);
    const size = shape.reduce((a, b) => a * b, 1);
    let tensor: ort.Tensor;
    switch (meta.type) {
      case 'float32': {
        const data = new Float32Array(size);
        for (let i = 0; i < size; i++) data[i] = random() * 4 - 2;
        tensor = new ort.Tensor('float32', data, shape);
        break;
      }
      case 'uint8': {
        const data = new Uint8Array(size);
        for (let i = 0; i < size; i++) data[i] = Math.floor(random() * 256);
        tensor = new ort.Tensor('uint8', data, shape);
        break;
      }
      case 'int64':
        tensor = new ort.Tensor('int64', new BigInt64Array(size), shape);
        break;
      default:
        throw new ShapeError(`input '${meta.name}' has element type ${meta.type}, which infergate cannot feed yet (float32, uint8, int64)`);
    }
    feeds[meta.name] = tensor;
    inputs.push({ name: meta.name, type: meta.type, shape });
  }
  return { feeds, inputs };
}
