/**
 * Accuracy for a case: which preprocessing applies, whether the weights allow a number at all,
 * and evaluation through the case's backend. Cases that differ only in measuring threads share
 * one evaluation (threads do not change what a model predicts).
 */
import { NO_ACCURACY, type AccuracySummary } from '../core/index.js';
import { IMAGENET_FLOAT_PREPROCESS, type PreprocessSpec } from '../models/registry.js';
import type { ResolvedModel } from '../models/resolve.js';
import type { Case } from '../suite/case.js';
import type { DatasetValue } from '../suite/schema.js';
import { vendorOptions } from '../targets/native-options.js';
import { ortSessionConfig } from '../targets/ort/options.js';
import type { Dataset } from './dataset.js';
import { hbdnnEncoding } from './encode-hbdnn.js';
import { magicmindEncoding } from './encode-magicmind.js';
import { describeRule } from './encoding.js';
import { evaluate, type EvaluateOptions } from './evaluate.js';
import { NativeEngine } from './native-infer.js';

export function effectivePreprocess(model: ResolvedModel, dataset: DatasetValue): { spec: PreprocessSpec; note?: string } {
  const base = model.spec?.preprocess ?? IMAGENET_FLOAT_PREPROCESS;
  const override = Object.fromEntries(Object.entries(dataset.preprocess ?? {}).filter(([, v]) => v !== undefined)) as Partial<PreprocessSpec>;
  const note = model.spec || dataset.preprocess ? undefined : 'preprocessing: ImageNet default (resize 256, crop 224, RGB, mean/std); the model is not in the registry, override with dataset.preprocess';
  return { spec: { ...base, ...override }, note };
}

/** Evaluations are shared by cases with the same model, target, precision and batch. */
export function evaluationKey(c: Case): string {
  return `${c.key.model}/${c.key.target}/${c.key.precision}/b${c.key.batch}`;
}

export function refusedForSynthetic(): AccuracySummary {
  return { status: 'refused', reason: NO_ACCURACY.synthetic };
}

export async function evaluateCase(
  c: Case,
  model: ResolvedModel,
  dataset: Dataset,
  datasetSpec: DatasetValue,
  predictionsPath: string,
  predictionsRel: string,
  progress?: (done: number, total: number, rate: number) => void,
  signal?: AbortSignal,
): Promise<AccuracySummary> {
  if (model.weights === 'synthetic') return refusedForSynthetic();
  const common = { modelPath: model.path, batch: c.key.batch, onError: datasetSpec.onError, predictionsFile: predictionsPath, progress, signal };
  let run: { options: EvaluateOptions; rule: string; note?: string };
  if (c.target.backend === 'magicmind' || c.target.backend === 'hbdnn') {
    // The vendor's own encoding for the model's input as the runtime describes it, with the
    // suite's resize/crop/colour overrides.
    const encode = c.target.backend === 'magicmind' ? magicmindEncoding : hbdnnEncoding;
    const override = Object.fromEntries(Object.entries(datasetSpec.preprocess ?? {}).filter(([, v]) => v !== undefined)) as Partial<PreprocessSpec>;
    const engine = NativeEngine.open({ backend: c.target.backend, artifact: model.path, options: vendorOptions(c).options, batch: c.key.batch, encode: (input) => encode(input, override) });
    run = { options: { ...common, preprocess: engine.encoding.spec, engine }, rule: engine.encoding.rule };
  } else if (c.target.backend === 'ort') {
    const { spec, note } = effectivePreprocess(model, datasetSpec);
    // One evaluation thread may use every core: it is not competing with measuring threads.
    run = { options: { ...common, preprocess: spec, session: { ...ortSessionConfig({ ...c, key: { ...c.key, threads: 1 } }) } }, rule: `${describeRule(spec)}, ${spec.dtype} ${spec.layout}`, note };
  } else {
    return { status: 'refused', reason: NO_ACCURACY.simulated };
  }
  const spec = run.options.preprocess;
  // run --verify (INFERGATE_VERIFY_INPUTS=1, inherited by case processes) or dataset.cache: verify.
  const verify = datasetSpec.cache === 'verify' || process.env.INFERGATE_VERIFY_INPUTS === '1';
  const r = await evaluate(dataset, { ...run.options, rule: run.rule, cache: { enabled: datasetSpec.cache !== false, verify } });
  return {
    status: 'ok',
    reason: run.note,
    dataset: { name: dataset.name, images: dataset.imagesDir, labels: dataset.labelsFile, selected: dataset.items.length },
    n: r.n,
    top1: r.top1,
    top5: r.top5,
    skipped: [...dataset.skipped, ...r.skipped],
    predictionsFile: predictionsRel,
    imagesPerSecond: r.imagesPerSecond,
    preprocess: spec as unknown as Record<string, unknown>,
    encoding: run.rule,
    inputCache: r.inputCache,
    pipeline: r.pipeline,
    ...(r.warnings.length ? { warnings: r.warnings } : {}),
  };
}
