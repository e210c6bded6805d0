/**
 * onnxruntime as the converters' optimiser and type checker: a session created with
 * optimizedModelFilePath writes the graph after its optimisations, with value_info for every
 * intermediate tensor (which the fp16 and int8 transforms need, and no JavaScript ONNX shape
 * inference exists). Level 'basic' keeps standard ONNX ops only (constant folding, Conv+BN and
 * Conv+Add fusion), so its output is portable; 'extended' adds onnxruntime's fused contrib ops.
 */
import { readFileSync, rmSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { Graph } from './graph.js';
import { decodeModel } from '../../models/onnx.js';

export type SavedLevel = 'disabled' | 'basic' | 'extended';

export async function saveOptimized(source: string, dest: string, level: SavedLevel): Promise<void> {
  ort.env.logLevel = 'error';
  const session = await ort.InferenceSession.create(source, {
    executionProviders: ['cpu'],
    graphOptimizationLevel: level,
    optimizedModelFilePath: dest,
    intraOpNumThreads: 1,
    logSeverityLevel: 3,
  });
  await session.release();
}

/** The model after onnxruntime's basic optimisations, with every tensor's type known. */
export async function loadTyped(source: string, scratch: string): Promise<Graph> {
  await saveOptimized(source, scratch, 'basic');
  const graph = new Graph(decodeModel(readFileSync(scratch)));
  rmSync(scratch, { force: true });
  graph.inferTypes();
  return graph;
}
