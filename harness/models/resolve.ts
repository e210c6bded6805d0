/**
 * Model reference -> a file to load, with what kind of weights it has. Real files are found in
 * the asset roots and checked against their pinned sha256; `@synthetic` (or `weights: synthetic`,
 * or `auto` with the real file absent) builds the seeded graph once and caches it.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { writeAtomic } from '../util/files.js';
import { join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import type { ModelChoice } from '../suite/case.js';
import { isModelPath } from '../suite/fields.js';
import { FOLD_QDQ_VERSION, foldQdq } from '../convert/ort/fold-qdq.js';
import { Graph } from '../convert/ort/graph.js';
import { cacheDir, describeSearch, findAsset, sha256File } from './assets.js';
import { decodeModel } from './onnx.js';
import { parseModelId, type ModelSpec } from './registry.js';
import { generateResNet, GENERATOR_VERSION, type ResNetArchitecture } from './resnet-synthetic.js';

export interface ResolvedModel {
  /** Name used in case keys. */
  name: string;
  /** What the suite asked for. */
  ref: string;
  path: string;
  weights: 'real' | 'synthetic';
  spec?: ModelSpec;
  sha256?: string;
  /** Said in the report: e.g. why synthetic weights stand in for the real file. */
  notes: string[];
}

export const SYNTHETIC_SEED = 1;

export function syntheticPath(architecture: ResNetArchitecture, seed = SYNTHETIC_SEED): string {
  return join(cacheDir(), 'synthetic', `${architecture}-seed${seed}-g${GENERATOR_VERSION}.onnx`);
}

/** Builds (or reuses) the cached synthetic graph. Written to a temp name, then renamed. */
export function ensureSynthetic(architecture: ResNetArchitecture, seed = SYNTHETIC_SEED): string {
  const path = syntheticPath(architecture, seed);
  if (existsSync(path) && statSync(path).size > 0) return path;
  writeAtomic(path, generateResNet(architecture, seed).bytes);
  return path;
}

/** A registry model built from another file (e.g. the float MobileNetV2 folded from the QDQ one), cached by source hash. */
export function ensureDerived(spec: ModelSpec, sourcePath: string): string {
  const path = join(cacheDir(), 'derived', `${spec.id}-${spec.sha256.slice(0, 16)}-v${FOLD_QDQ_VERSION}.onnx`);
  if (existsSync(path) && statSync(path).size > 0) return path;
  const graph = new Graph(decodeModel(readFileSync(sourcePath)));
  foldQdq(graph);
  writeAtomic(path, graph.encode());
  return path;
}

const verified = new Map<string, string>();

async function verifySha(path: string, spec: ModelSpec): Promise<void> {
  const key = `${path}:${statSync(path).mtimeMs}`;
  if (verified.get(key) === spec.sha256) return;
  const actual = await sha256File(path);
  if (actual !== spec.sha256) {
    throw new UserError(
      `model file ${path} (${spec.id}) is corrupt or not the pinned release: sha256 ${actual}, expected ${spec.sha256}. ` +
        `Delete it and run 'npm run assets' to fetch the official file${spec.url ? ` (${spec.url})` : ''}.`,
    );
  }
  verified.set(key, spec.sha256);
}

/** `suiteFile` names where the model came from in messages (with the choice's field, e.g. models[0]). */
export async function resolveModel(choice: ModelChoice, baseDir: string, suiteFile = ''): Promise<ResolvedModel> {
  const where = `${suiteFile ? `${suiteFile} ` : ''}${choice.field ?? 'models'}`;
  if (isModelPath(choice.ref)) {
    const path = resolve(baseDir, choice.ref);
    if (!existsSync(path)) throw new UserError(`${where}: model file not found: ${path} ('${choice.ref}', relative to the suite's folder ${baseDir})`);
    if (statSync(path).isDirectory()) throw new UserError(`${where}: '${choice.ref}' is a folder (${path}), not an .onnx model file`);
    if (choice.weights === 'synthetic') throw new UserError(`${where}: '${choice.ref}' is a file; weights: synthetic applies only to registry models with a known architecture`);
    return { name: choice.name, ref: choice.ref, path, weights: 'real', notes: [] };
  }
  const parsed = parseModelId(choice.ref);
  if (!parsed) throw new UserError(`unknown model '${choice.ref}'`);
  const { spec } = parsed;
  const wantSynthetic = parsed.synthetic || choice.weights === 'synthetic';
  if (wantSynthetic) {
    if (!spec.synthetic) throw new UserError(`model '${spec.id}' has no synthetic architecture; only ${'resnet*'} models do`);
    return {
      name: choice.name,
      ref: choice.ref,
      path: ensureSynthetic(spec.synthetic.architecture),
      weights: 'synthetic',
      spec,
      notes: ['synthetic (seeded) weights: for timing only, no accuracy'],
    };
  }
  const found = findAsset(spec.assetPath);
  if (found) {
    await verifySha(found, spec);
    if (spec.derived) {
      return { name: choice.name, ref: choice.ref, path: ensureDerived(spec, found), weights: 'real', spec, notes: [`built from ${spec.derived.from} (${spec.derived.transform})`] };
    }
    return { name: choice.name, ref: choice.ref, path: found, weights: 'real', spec, sha256: spec.sha256, notes: [] };
  }
  const howToGet = spec.url
    ? `run 'npm run assets' where the network allows (fetches ${spec.url}, sha256-checked), or put the file in a folder named by INFERGATE_ASSETS`
    : `put the file in a folder named by INFERGATE_ASSETS (it ships in ../shared/assets)`;
  if (choice.weights === 'auto' && spec.synthetic) {
    return {
      name: choice.name,
      ref: choice.ref,
      path: ensureSynthetic(spec.synthetic.architecture),
      weights: 'synthetic',
      spec,
      notes: [`real ${spec.assetPath} not found (looked in ${describeSearch(spec.assetPath)}); synthetic weights of the same architecture used for timing; ${howToGet}`],
    };
  }
  throw new UserError(`model '${spec.id}' not found: looked for ${describeSearch(spec.assetPath)}. To get it, ${howToGet}.`);
}
