/**
 * Accuracy for a case: which preprocessing applies, whether the weights allow a number at all,
 * and evaluation through the case's backend. Cases that differ only in measuring threads share
 * one evaluation (threads do not change what a model predicts).
 */
import { InfraError } from '../errors.js';
import { NO_ACCURACY, type AccuracySummary } from '../core/index.js';
import { IMAGENET_FLOAT_PREPROCESS, type PreprocessSpec } from '../models/registry.js';
import type { ResolvedModel } from '../models/resolve.js';
import type { Case } from '../suite/case.js';
import type { DatasetValue } from '../suite/schema.js';
import { ortSessionConfig } from '../targets/ort/options.js';
import type { Dataset } from './dataset.js';
import { evaluate } from './evaluate.js';

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
  if (c.target.backend !== 'ort') {
    // The addon's single-call infer() exists (NativeSession); routing evaluation through it is next.
    throw new InfraError(`accuracy through the ${c.target.backend} backend is not wired into evaluation yet; score it on ort-cpu, or run performance only`);
  }
  const { spec, note } = effectivePreprocess(model, datasetSpec);
  const r = await evaluate(dataset, {
    modelPath: model.path,
    // One evaluation thread may use every core: it is not competing with measuring threads.
    session: { ...ortSessionConfig({ ...c, key: { ...c.key, threads: 1 } }) },
    preprocess: spec,
    batch: c.key.batch,
    onError: datasetSpec.onError,
    predictionsFile: predictionsPath,
    progress,
    signal,
  });
  return {
    status: 'ok',
    reason: note,
    dataset: { name: dataset.name, images: dataset.imagesDir, labels: dataset.labelsFile, selected: dataset.items.length },
    n: r.n,
    top1: r.top1,
    top5: r.top5,
    skipped: [...dataset.skipped, ...r.skipped],
    predictionsFile: predictionsRel,
    imagesPerSecond: r.imagesPerSecond,
    preprocess: spec as unknown as Record<string, unknown>,
  };
}
