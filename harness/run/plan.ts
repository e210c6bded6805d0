/**
 * The checks before anything is measured, returning what the run will do: every target available
 * (or allowed not to be), every model resolvable, the dataset readable, and every converted
 * artifact built (from the cache or now). Each failure here costs nothing measured.
 */
import { loadDataset, type Dataset } from '../accuracy/dataset.js';
import { artifactKey, convertCase, describeConversion, runsConverted, suiteCalibration, type Conversion } from '../convert/index.js';
import { InfraError } from '../errors.js';
import { resolveModel, type ResolvedModel } from '../models/resolve.js';
import type { Case } from '../suite/case.js';
import { accuracyModels } from '../suite/expand.js';
import type { LoadedSuite } from '../suite/load.js';
import { targetAvailability, type Availability } from '../targets/availability.js';

export interface RunPlan {
  /** Cases the journal does not hold yet. */
  pending: Case[];
  availability: Map<string, Availability>;
  /** Models whose accuracy the suite scores (by name). */
  scored: Set<string>;
  dataset?: Dataset;
  /** What a case runs: its converted artifact, else the resolved source model. */
  modelFor(c: Case): ResolvedModel | undefined;
}

const modelKey = (c: Case) => `${c.model.ref}|${c.model.weights}`;

export async function planRun(loaded: LoadedSuite, cases: readonly Case[], done: ReadonlySet<string>, allowUnavailable: boolean, log: (line: string) => void): Promise<RunPlan> {
  const { suite } = loaded;
  const pending = cases.filter((c) => !done.has(c.id));
  const availability = new Map<string, Availability>();
  for (const c of cases) if (!availability.has(c.target.id)) availability.set(c.target.id, targetAvailability(c.target));
  const missing = [...availability.entries()].filter(([id, a]) => !a.available && pending.some((c) => c.target.id === id));
  if (missing.length && !allowUnavailable) {
    throw new InfraError(
      `target${missing.length > 1 ? 's' : ''} not available on this machine: ${missing.map(([id, a]) => `${id} (${a.reason})`).join('; ')}. ` +
        `Run 'infergate doctor' for details, or pass --allow-unavailable to record them as unavailable and run the rest.`,
    );
  }
  const runnable = (c: Case) => availability.get(c.target.id)!.available;

  // Missing or corrupt model files are the user's to fix (exit 2).
  const models = new Map<string, ResolvedModel>();
  for (const c of pending) {
    if (!runnable(c) || c.target.backend === 'sim' || models.has(modelKey(c))) continue;
    models.set(modelKey(c), await resolveModel(c.model, loaded.baseDir, loaded.file));
  }

  const scored = accuracyModels(suite);
  const dataset = suite.dataset && pending.some((c) => scored.has(c.key.model)) ? loadDataset(suite.dataset, loaded.baseDir) : undefined;

  // Vendor targets, and ort-cpu at fp16/int8, run converted artifacts.
  const artifacts = new Map<string, ResolvedModel>();
  const converted = pending.filter((c) => runnable(c) && runsConverted(c));
  if (converted.length) {
    const calibration = suiteCalibration(suite, loaded.baseDir, converted, loaded.file, dataset);
    const built = new Map<string, Conversion>();
    for (const c of converted) {
      const model = models.get(modelKey(c))!;
      if (!built.has(artifactKey(c))) {
        if (c.target.backend === 'ort') log(`infergate: ${c.key.model} as ${c.key.precision} for ${c.target.id}: converting, or from the artifact cache ...`);
        built.set(artifactKey(c), await convertCase(c, model, suite, calibration));
      }
      const conv = built.get(artifactKey(c))!;
      artifacts.set(c.id, { ...model, path: conv.artifact!, sha256: undefined, notes: [...model.notes, describeConversion(conv, model)] });
    }
  }
  return { pending, availability, scored, dataset, modelFor: (c) => artifacts.get(c.id) ?? models.get(modelKey(c)) };
}

