/** What runs evaluation batches: the onnxruntime worker (ort-engine.ts) or a native backend (native-infer.ts). */
export interface BatchEngine {
  readonly ready: Promise<{ fixedBatch?: number }>;
  /** `input`, when given back, is the batch's buffer, free for the next batch (no new allocation). */
  infer(data: Float32Array | Uint8Array, count: number): Promise<{ top5: Int32Array; scores: Float32Array; input?: Float32Array | Uint8Array }>;
  close(): Promise<void>;
}
