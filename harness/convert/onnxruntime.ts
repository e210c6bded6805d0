/**
 * The onnxruntime converter (runs here): per case, an artifact for ort-cpu in the cache.
 * force_float32: the graph after onnxruntime's optimisations (level 'extended' at most, which
 * stays valid on other CPUs); force_float16: float16 weights and compute, float32 inputs and
 * outputs; qint8_mixed_float16: int8 QDQ on Conv/Gemm/MatMul/Add calibrated on the suite's
 * calibration images, float elsewhere (float32: the CPU provider has few float16 kernels).
 */
import { cpus } from 'node:os';
import { join } from 'node:path';
import { ortVersion } from '../targets/ort/session.js';
import { UserError } from '../errors.js';
import { cpuFlags } from '../env/fingerprint.js';
import { sha256File } from '../models/assets.js';
import type { PreprocessSpec } from '../models/registry.js';
import type { ResolvedModel } from '../models/resolve.js';
import { writeAtomic } from '../util/files.js';
import type { Case } from '../suite/case.js';
import type { OrtOptionsValue } from '../suite/schema.js';
import { cacheKey, commitEntry, entryDir, readMeta, type ArtifactMeta } from './cache.js';
import type { CalibrationSet } from './calibration.js';
import { calibrate, imageFeeds } from './ort/calibrate.js';
import { FP16_VERSION, toFloat16 } from './ort/fp16.js';
import type { Graph } from './ort/graph.js';
import { loadTyped, saveOptimized, type SavedLevel } from './ort/optimize.js';
import { insertQdq, planQdq, QDQ_VERSION } from './ort/qdq.js';

export const ORT_CONVERTER = { id: 'onnxruntime', version: 1 };

export interface OrtConversion {
  key: string;
  dir: string;
  meta: ArtifactMeta;
  artifact: string;
}

export interface OrtConvertOptions {
  calibration?: CalibrationSet;
  /** The preprocessing accuracy uses: calibration must see the same tensors. */
  preprocess: PreprocessSpec;
  force?: boolean;
}

/** 7-bit weights where onnxruntime's x86 u8 x s8 kernel (vpmaddubsw, no VNNI) can saturate int16 sums. */
export function resolveWeightBits(setting: OrtOptionsValue['quantize']['weightBits']): 8 | 7 {
  if (setting !== 'auto') return setting;
  if (process.arch !== 'x64' && process.arch !== 'ia32') return 8;
  const flags = cpuFlags() ?? [];
  return flags.includes('avx512_vnni') || flags.includes('avx_vnni') || flags.includes('amx_int8') ? 8 : 7;
}

/** Ops that mean the model is quantized already (QDQ, QOperator or dynamic). */
const ALREADY_QUANTIZED = /^(QuantizeLinear|DequantizeLinear|QLinear\w+|ConvInteger|MatMulInteger|DynamicQuantize\w*)$/;

function refuseQuantized(graph: Graph, model: ResolvedModel, precision: string): void {
  const op = graph.nodes.find((n) => ALREADY_QUANTIZED.test(n.opType!));
  if (op) {
    throw new UserError(
      `model ${model.ref} (${model.path}) is already quantized (it has ${op.opType} nodes), so precision ${precision} cannot be built from it: run it as force_float32 (as given), or start from a float model (for the MobileNetV2 file, mobilenetv2-float)`,
    );
  }
}

/** onnxruntime refusing the source model is the suite's problem (a corrupt or unsupported file): exit 2. */
async function loadingSource<T>(model: ResolvedModel, load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    throw new UserError(`model file ${model.path} (models: '${model.ref}'): onnxruntime cannot load it: ${(err as Error).message.split('\n')[0]}`);
  }
}

export async function convertOrt(c: Case, model: ResolvedModel, opts: OrtConvertOptions): Promise<OrtConversion> {
  const precision = c.key.precision;
  const int8 = precision === 'qint8_mixed_float16';
  if (int8 && !opts.calibration) throw new UserError(`${c.id}: qint8_mixed_float16 on ort-cpu quantises with calibration images; add a calibration section (images, select) to the suite`);
  const level: SavedLevel = c.ort.graphOptimizationLevel === 'all' ? 'extended' : c.ort.graphOptimizationLevel;
  const q = c.ort.quantize;
  const options: Record<string, unknown> =
    precision === 'force_float32'
      ? { precision, level }
      : precision === 'force_float16'
        ? { precision, fp16: FP16_VERSION }
        : { precision, qdq: QDQ_VERSION, activations: q.activations, weightBits: resolveWeightBits(q.weightBits), method: q.method, ...(q.method === 'percentile' ? { percentile: q.percentile } : {}), preprocess: opts.preprocess };
  const parts = {
    sourceSha256: model.sha256 ?? (await sha256File(model.path)),
    converter: ORT_CONVERTER.id,
    converterVersion: ORT_CONVERTER.version,
    options,
    ...(int8 ? { calibrationSha256: opts.calibration!.sha256 } : {}),
  };
  const key = cacheKey(parts);
  const cached = readMeta(key);
  if (cached?.state === 'built' && !opts.force) return { key, dir: entryDir(key), meta: cached, artifact: join(entryDir(key), cached.artifact!) };

  const meta = await commitEntry(key, async (dir) => {
    const out = join(dir, 'model.onnx');
    const started = Date.now();
    let details: Record<string, unknown>;
    if (precision === 'force_float32') {
      await loadingSource(model, () => saveOptimized(model.path, out, level));
      details = { optimizationLevel: level };
    } else {
      const graph = await loadingSource(model, () => loadTyped(model.path, join(dir, 'source-basic.onnx')));
      refuseQuantized(graph, model, precision);
      if (precision === 'force_float16') {
        details = { ...toFloat16(graph) };
      } else {
        const plan = planQdq(graph);
        if (!plan.nodes.length) throw new UserError(`${c.id}: model ${model.path} has no Conv, Gemm, MatMul or Add with float data and constant weights: nothing to quantise`);
        const ranges = await calibrate(graph, plan.activations, imageFeeds(opts.calibration!.files, opts.preprocess), { method: q.method, percentile: q.percentile });
        details = { ...insertQdq(graph, plan, ranges, { activations: q.activations, weightBits: options.weightBits as 8 | 7 }), calibrationImages: opts.calibration!.files.length, method: q.method, weightBits: options.weightBits };
      }
      writeAtomic(out, graph.encode());
    }
    return {
      key,
      parts,
      state: 'built',
      artifact: 'model.onnx',
      precision,
      provenance: {
        createdAt: new Date().toISOString(),
        source: model.path,
        tool: `infergate onnxruntime converter v${ORT_CONVERTER.version} (onnxruntime-node ${ortVersion()}, ${cpus().length} cores)`,
      },
      details: { ...details, seconds: Math.round((Date.now() - started) / 100) / 10 },
    };
  });
  return { key, dir: entryDir(key), meta, artifact: join(entryDir(key), meta.artifact!) };
}
