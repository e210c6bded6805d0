/**
 * The calibration set: images a converter quantises with, chosen from a folder, never the images
 * accuracy is scored on (those are removed first, and the report says how many). Written out as
 * preprocessed float32 tensors, one raw file per image, in a folder that holds nothing else
 * (hb_mapper reads every file of cal_data_dir as a tensor); a list file, where a calibrator
 * wants one, goes beside the folder.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Dataset } from '../accuracy/dataset.js';
import { resolveDataPath } from '../accuracy/dataset.js';
import { preprocessImage } from '../accuracy/preprocess.js';
import { UserError } from '../errors.js';
import type { PreprocessSpec } from '../models/registry.js';
import { seededRandom } from '../util/random.js';
import { writeAtomic } from '../util/files.js';
import type { CalibrationValue } from '../suite/schema.js';
import { IMAGENET_MEAN, IMAGENET_STD } from './vendor-build.js';

const IMAGE_EXT = /\.(jpe?g|png|webp|bmp|tiff?)$/i;

export interface CalibrationSet {
  folder: string;
  files: string[];
  /** Identity for the artifact cache: which files, in which order, and their sizes. */
  sha256: string;
  /** Images left out because accuracy is scored on them. */
  excludedForEvaluation: number;
}

export function loadCalibration(spec: CalibrationValue, baseDir: string, evaluation?: Dataset): CalibrationSet {
  const folder = resolveDataPath(spec.images, baseDir, 'calibration.images');
  if (!existsSync(folder) || !statSync(folder).isDirectory()) throw new UserError(`calibration.images: ${folder} is not a folder of images`);
  // By file name too: the same ImageNet image often sits in several folders (val-100, val-1300-227).
  const scored = new Set(evaluation?.items.map((i) => basename(i.file)) ?? []);
  const all = readdirSync(folder).filter((f) => IMAGE_EXT.test(f)).sort().map((f) => join(folder, f));
  const usable = all.filter((f) => !scored.has(basename(f)));
  let chosen: string[];
  if ('first' in spec.select) chosen = usable.slice(0, spec.select.first);
  else {
    const random = seededRandom(spec.select.seed);
    const shuffled = [...usable];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    chosen = shuffled.slice(0, spec.select.random).sort();
  }
  const wanted = 'first' in spec.select ? spec.select.first : spec.select.random;
  if (chosen.length < wanted) {
    throw new UserError(`calibration.select: asks for ${wanted} images but ${folder} has ${usable.length} that accuracy is not scored on (${all.length - usable.length} left out because the dataset evaluates them)`);
  }
  const hash = createHash('sha256');
  for (const f of chosen) hash.update(`${f.slice(folder.length + 1)}\t${statSync(f).size}\n`);
  return { folder, files: chosen, sha256: hash.digest('hex'), excludedForEvaluation: all.length - usable.length };
}

/**
 * hb_mapper's calibration data: raw RGB 0-255, NCHW float32. With norm_type data_mean_and_scale
 * the tool applies mean and scale itself (rdk_model_zoo generate_calibration_data).
 */
export function rawRgbSpec(model: PreprocessSpec): PreprocessSpec {
  return { ...model, colour: 'RGB', layout: 'NCHW', dtype: 'float32', scale: 1, mean: [0, 0, 0], std: [1, 1, 1], output: 'tensor' };
}

/**
 * MagicMind's calibration data: the ORIGINAL network input, (x - mean) / std NCHW float32, with
 * the same mean and std that insert_bn_before_firstnode later moves into the built model: the
 * calibrator runs the parsed network, which has no such node yet (magicmind_cloud gen_model
 * calibrators normalise too).
 */
export function normalisedRgbSpec(model: PreprocessSpec): PreprocessSpec {
  return { ...rawRgbSpec(model), mean: [...IMAGENET_MEAN], std: [...IMAGENET_STD] };
}

/** Writes cal_NNNN.bin tensors, and nothing else, into dir; returns their paths in order. */
export async function writeCalibrationTensors(set: CalibrationSet, spec: PreprocessSpec, dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const [i, file] of set.files.entries()) {
    let tensor: Float32Array | Uint8Array;
    try {
      tensor = await preprocessImage(file, spec);
    } catch (err) {
      throw new UserError(`calibration image ${file}: ${(err as Error).message}`);
    }
    const out = join(dir, `cal_${String(i).padStart(4, '0')}.bin`);
    writeAtomic(out, new Uint8Array(tensor.buffer, tensor.byteOffset, tensor.byteLength));
    files.push(out);
  }
  return files;
}
