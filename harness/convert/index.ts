/**
 * One entry point for "give me this case's artifact": the converter its target needs (MagicMind,
 * hb_mapper, or the onnxruntime converter), with the calibration set and preprocessing the suite
 * implies. `infergate convert` and `run` both come through here.
 */
import { effectivePreprocess } from '../accuracy/index.js';
import type { Dataset } from '../accuracy/dataset.js';
import { UserError } from '../errors.js';
import { IMAGENET_FLOAT_PREPROCESS } from '../models/registry.js';
import type { ResolvedModel } from '../models/resolve.js';
import type { Case } from '../suite/case.js';
import type { Suite } from '../suite/schema.js';
import type { ArtifactMeta } from './cache.js';
import { loadCalibration, type CalibrationSet } from './calibration.js';
import { convertOrt } from './onnxruntime.js';
import { convertHbMapper, convertMagicMind } from './vendor.js';

export interface Conversion {
  key: string;
  dir: string;
  meta: ArtifactMeta;
  /** The built artifact; absent when only the build files exist (vendor SDK missing, --generate-only). */
  artifact?: string;
}

export interface ConvertOptions {
  generateOnly?: boolean;
  force?: boolean;
}

/** Whether the case's target needs calibration images for this precision. */
export function needsCalibration(c: Case): boolean {
  return c.target.backend === 'hbdnn' || (c.key.precision === 'qint8_mixed_float16' && (c.target.backend === 'magicmind' || c.target.backend === 'ort'));
}

/** Whether a case runs a converted artifact: vendor targets always; ort-cpu for fp16 and int8 (fp32 runs the source, optimised as the session loads). */
export function runsConverted(c: Case): boolean {
  return c.target.backend === 'magicmind' || c.target.backend === 'hbdnn' || (c.target.backend === 'ort' && c.key.precision !== 'force_float32');
}

/** Cases that need the same artifact share one conversion. */
export function artifactKey(c: Case): string {
  if (c.target.backend === 'hbdnn') return `${c.key.model}|${c.target.id}|${c.key.batch}`;
  if (c.target.backend === 'ort') return `${c.key.model}|${c.target.id}|${c.key.precision}`;
  return `${c.key.model}|${c.target.id}|${c.key.precision}|${c.key.batch}`;
}

/** The suite's calibration set, when any case needs one; images the dataset scores are left out. */
export function suiteCalibration(suite: Suite, baseDir: string, cases: Case[], file: string, evaluation?: Dataset): CalibrationSet | undefined {
  if (!cases.some(needsCalibration)) return undefined;
  if (!suite.calibration) throw new UserError(`${file} calibration: int8 conversion (qint8_mixed_float16, hb_mapper) needs calibration images; add a calibration section (images, select).`);
  return loadCalibration(suite.calibration, baseDir, evaluation);
}

/** One line for a case's notes: what was run instead of the source model, and how it was made. */
export function describeConversion(conv: Conversion, model: ResolvedModel): string {
  const d = conv.meta.details ?? {};
  const how: string[] = [];
  if (typeof d.quantizedNodes === 'number') how.push(`${d.quantizedNodes} ops int8 (QDQ), ${d.weightBits}-bit per-channel weights, ${d.method} calibration on ${d.calibrationImages} images`);
  if (typeof d.float16Nodes === 'number') how.push(`${d.float16Nodes} ops float16, ${d.float32Nodes} kept float32, float32 inputs/outputs`);
  return `ran the ${conv.meta.precision} artifact ${conv.artifact ?? conv.dir} (cache entry ${conv.key}${how.length ? `; ${how.join('; ')}` : ''}) converted from ${model.path}`;
}

export async function convertCase(c: Case, model: ResolvedModel, suite: Suite, calibration: CalibrationSet | undefined, opts: ConvertOptions = {}): Promise<Conversion> {
  if (c.target.backend === 'magicmind') return convertMagicMind(c, model, { calibration, ...opts });
  if (c.target.backend === 'hbdnn') return convertHbMapper(c, model, { calibration, ...opts });
  if (c.target.backend === 'ort') {
    const preprocess = suite.dataset ? effectivePreprocess(model, suite.dataset).spec : (model.spec?.preprocess ?? IMAGENET_FLOAT_PREPROCESS);
    return convertOrt(c, model, { calibration, preprocess, force: opts.force });
  }
  throw new Error(`${c.id}: simulated devices have nothing to convert`);
}
