/** What runs evaluation batches: the onnxruntime worker (ort-engine.ts) or a native backend (native-infer.ts). */
export interface BatchResult {
  top5: Int32Array;
  scores: Float32Array;
  /** The batch's buffer when the engine gives it back, free for the next batch (no new allocation). */
  input?: Float32Array | Uint8Array;
}

export interface EngineReady {
  fixedBatch?: number;
  /** Ids of the threads that infer (Linux), when the engine knows them: evaluate keeps them above decoding. */
  threads?: number[];
}

export interface BatchEngine {
  readonly ready: Promise<EngineReady>;
  infer(data: Float32Array | Uint8Array, count: number): Promise<BatchResult>;
  close(): Promise<void>;
}
