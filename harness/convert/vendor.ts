/**
 * The MagicMind and hb_mapper converters: generate a case's build files into an artifact-cache
 * entry, run the vendor tool when this machine has it, and otherwise keep the files and say
 * plainly that the SDK is missing (exit 3), so a lab machine can build from them.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InfraError, UserError } from '../errors.js';
import { sha256File } from '../models/assets.js';
import { IMAGENET_FLOAT_PREPROCESS, type PreprocessSpec } from '../models/registry.js';
import type { ResolvedModel } from '../models/resolve.js';
import type { Case } from '../suite/case.js';
import { stableJson, writeAtomic } from '../util/files.js';
import { cacheKey, commitEntry, entryDir, readMeta, type ArtifactMeta } from './cache.js';
import { normalisedRgbSpec, rawRgbSpec, writeCalibrationTensors, type CalibrationSet } from './calibration.js';
import { hbMapperConfig, magicmindBuildScript, magicmindConfig, type MagicMindBuildOptions } from './vendor-build.js';
import { findOnPath, magicmindImportable, python, runTool } from './vendor-run.js';

// Version 2: insert_bn keyed by input index, normalised calibration tensors, calibration on an
// opened device (MagicMind); a calibration folder holding only tensors (hb_mapper).
export const MAGICMIND_CONVERTER = { id: 'magicmind', version: 2 };
export const HB_MAPPER_CONVERTER = { id: 'hb_mapper', version: 2 };

export interface VendorConversion {
  key: string;
  dir: string;
  meta: ArtifactMeta;
  /** The built artifact, when the toolchain ran. */
  artifact?: string;
}

function imageSize(spec?: PreprocessSpec): { height: number; width: number } {
  return { height: spec?.crop.height ?? 224, width: spec?.crop.width ?? 224 };
}

/** The source model's preprocessing (a model outside the registry: the ImageNet default) for its calibration tensors. */
function sourcePreprocess(model: ResolvedModel): PreprocessSpec {
  return model.spec?.preprocess ?? IMAGENET_FLOAT_PREPROCESS;
}

async function sourceSha(model: ResolvedModel): Promise<string> {
  return model.sha256 ?? (await sha256File(model.path));
}

export interface VendorOptions {
  calibration?: CalibrationSet;
  /** Write the build files, do not run the toolchain. */
  generateOnly?: boolean;
  /** Rebuild even when the cache has the entry. */
  force?: boolean;
}

export async function convertMagicMind(c: Case, model: ResolvedModel, opts: VendorOptions = {}): Promise<VendorConversion> {
  const { height, width } = imageSize(model.spec?.preprocess);
  const int8 = c.key.precision === 'qint8_mixed_float16';
  if (int8 && !opts.calibration) throw new InfraError(`${c.id}: qint8_mixed_float16 needs calibration images; add a calibration section to the suite`);
  // The build script calibrates in whole batches of the model's input shape.
  if (int8 && opts.calibration!.files.length < c.key.batch) {
    throw new UserError(`calibration.select: ${opts.calibration!.files.length} calibration images, fewer than one batch of ${c.key.batch} for ${c.id}; select at least ${c.key.batch}`);
  }
  const options: Omit<MagicMindBuildOptions, 'onnx' | 'output' | 'calibrationList' | 'device'> = {
    name: c.key.model,
    precision: c.key.precision,
    batch: c.key.batch,
    height,
    width,
    normalizeInGraph: true,
    nhwcInput: true,
  };
  const parts = { sourceSha256: await sourceSha(model), converter: MAGICMIND_CONVERTER.id, converterVersion: MAGICMIND_CONVERTER.version, options, ...(int8 ? { calibrationSha256: opts.calibration!.sha256 } : {}) };
  const key = cacheKey(parts);
  const cached = readMeta(key);
  if (cached?.state === 'built' && !opts.force) return { key, dir: entryDir(key), meta: cached, artifact: join(entryDir(key), cached.artifact!) };

  // The card to calibrate on is not part of the artifact (nor of its key): the script takes
  // --device, and a run passes the suite's native.device.
  const device = c.native.device;
  const generated = await commitEntry(key, async (dir) => {
    let calibrationList: string | undefined;
    const final = entryDir(key);
    if (int8) {
      const tensors = await writeCalibrationTensors(opts.calibration!, normalisedRgbSpec(sourcePreprocess(model)), join(dir, 'calibration'));
      // Beside the folder, naming files by its final path (the temporary folder is renamed into place).
      calibrationList = join(final, 'calibration_list.txt');
      writeAtomic(join(dir, 'calibration_list.txt'), tensors.map((f) => join(final, 'calibration', basename(f))).join('\n') + '\n');
    }
    const build: MagicMindBuildOptions = { ...options, onnx: model.path, output: join(final, 'model.mm'), device, ...(calibrationList ? { calibrationList } : {}) };
    writeAtomic(join(dir, 'build_config.json'), stableJson(magicmindConfig(build)));
    writeAtomic(join(dir, 'build_magicmind.py'), magicmindBuildScript(build, join(final, 'build_config.json')));
    return { key, parts, state: 'generated', precision: c.key.precision, provenance: { createdAt: new Date().toISOString(), source: model.path, tool: 'MagicMind builder (build_magicmind.py)' } };
  });
  const dir = entryDir(key);
  if (opts.generateOnly) return { key, dir, meta: generated };
  if (!magicmindImportable()) {
    throw new InfraError(`${c.id}: MagicMind SDK not found (python3 cannot import magicmind.python.runtime); the build files are kept in ${dir} (build_magicmind.py, build_config.json${int8 ? ', calibration/, calibration_list.txt' : ''}) for a machine with the SDK.`);
  }
  const run = runTool(python()!, [join(dir, 'build_magicmind.py'), '--device', String(device)], dir, join(dir, 'build.log'));
  if (!run.ok) throw new InfraError(`${c.id}: the MagicMind build failed (exit ${run.status}; see ${join(dir, 'build.log')}); the build files are kept in ${dir}.`);
  const meta: ArtifactMeta = { ...generated, state: 'built', artifact: 'model.mm', provenance: { ...generated.provenance, log: 'build.log' } };
  writeAtomic(join(dir, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
  return { key, dir, meta, artifact: join(dir, meta.artifact!) };
}

export async function convertHbMapper(c: Case, model: ResolvedModel, opts: VendorOptions = {}): Promise<VendorConversion> {
  if (!opts.calibration) throw new InfraError(`${c.id}: hb_mapper quantises to int8 and needs calibration images; add a calibration section to the suite`);
  // A batch above 1 is built in (input_batch); batch 1 keeps the options, and so the cache key, it always had.
  const options = { march: 'bayes-e', inputTypeRt: 'nv12', compileMode: 'latency', optimizeLevel: 'O3', ...(c.key.batch > 1 ? { batch: c.key.batch } : {}) };
  const parts = { sourceSha256: await sourceSha(model), converter: HB_MAPPER_CONVERTER.id, converterVersion: HB_MAPPER_CONVERTER.version, options, calibrationSha256: opts.calibration.sha256 };
  const key = cacheKey(parts);
  const cached = readMeta(key);
  const prefix = c.key.model.replace(/[^A-Za-z0-9_-]/g, '_');
  if (cached?.state === 'built' && !opts.force) return { key, dir: entryDir(key), meta: cached, artifact: join(entryDir(key), cached.artifact!) };

  const generated = await commitEntry(key, async (dir) => {
    await writeCalibrationTensors(opts.calibration!, rawRgbSpec(sourcePreprocess(model)), join(dir, 'calibration'));
    // hb_mapper resolves these against the folder it runs in: keep them relative.
    writeAtomic(join(dir, 'hb_mapper_config.yaml'), hbMapperConfig({ onnx: model.path, workingDir: 'model_output', outputPrefix: prefix, calibrationDir: 'calibration', batch: c.key.batch }));
    return { key, parts, state: 'generated', precision: c.key.precision, provenance: { createdAt: new Date().toISOString(), source: model.path, tool: 'hb_mapper makertbin' } };
  });
  const dir = entryDir(key);
  if (opts.generateOnly) return { key, dir, meta: generated };
  const tool = findOnPath('hb_mapper');
  if (!tool) throw new InfraError(`${c.id}: hb_mapper not found on PATH (the Horizon OpenExplorer toolchain); the build files are kept in ${dir} (hb_mapper_config.yaml, calibration/) for a machine with the toolchain.`);
  const log = join(dir, 'hb_mapper.log');
  const check = runTool(tool, ['checker', '--model-type', 'onnx', '--march', 'bayes-e', '--model', model.path], dir, log);
  if (!check.ok) throw new InfraError(`${c.id}: hb_mapper checker failed (exit ${check.status}; see ${log}); the build files are kept in ${dir}.`);
  const make = runTool(tool, ['makertbin', '--model-type', 'onnx', '--config', 'hb_mapper_config.yaml'], dir, log, readFileSync(log, 'utf8'));
  if (!make.ok) throw new InfraError(`${c.id}: hb_mapper makertbin failed (exit ${make.status}; see ${log}); the build files are kept in ${dir}.`);
  const meta: ArtifactMeta = { ...generated, state: 'built', artifact: join('model_output', `${prefix}.bin`), provenance: { ...generated.provenance, log: 'hb_mapper.log' } };
  writeAtomic(join(dir, 'meta.json'), JSON.stringify(meta, null, 2) + '\n');
  return { key, dir, meta, artifact: join(dir, meta.artifact!) };
}

