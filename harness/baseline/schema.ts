/**
 * The baseline file format (baselines/*.json): versioned, validated with zod, with provenance on
 * every file. Entries are keyed by case key + metric + machine class.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readUserFile, UserError } from '../errors.js';
import { parseJsonFile } from '../util/json-file.js';
import { METRIC_IDS, PRECISIONS } from '../core/index.js';
import { findTarget } from '../targets/catalog.js';

/** Written as 2 (pooled runs, device time, tail figures); version 1 files still load unchanged. */
export const BASELINE_SCHEMA_VERSION = 2;
const READABLE_VERSIONS = [1, 2] as const;

const BaselineKey = z.strictObject({
  model: z.string().min(1),
  target: z.string().min(1),
  precision: z.enum(PRECISIONS),
  // Omitted on accuracy entries that hold for every batch and thread count.
  batch: z.int().min(1).optional(),
  threads: z.int().min(1).optional(),
});

const PerImage = z.strictObject({
  /** sha256 of the image names in order, one per line: both sides must have scored the same images. */
  imagesSha256: z.string().regex(/^[0-9a-f]{64}$/),
  n: z.int().min(1),
  /** Bit i (LSB first within each byte) set when image i was correct; base64. */
  bits: z.string(),
});

export const BaselineEntry = z.strictObject({
  key: BaselineKey,
  metric: z.enum(METRIC_IDS),
  /** Stable machine identity: target + CPU or board model + cores (env/fingerprint.ts caseMachineClass). */
  machineClass: z.string().min(1),
  value: z.number().finite(),
  unit: z.enum(['img/s', 'ms', 'fraction']),
  direction: z.enum(['higher', 'lower']),
  /** Practical threshold: relative for performance, absolute for accuracy. */
  tolerance: z.number().positive().max(10),
  /** Published: the table row this figure comes from. */
  row: z.string().optional(),
  note: z.string().optional(),
  /** Measured: the run it came from (one of provenance.runs); the latest one when runs were pooled. */
  runId: z.string().optional(),
  /** Measured from several runs pooled: each run's id, in the order of runValues. */
  runIds: z.array(z.string()).optional(),
  /** Measured performance: the per-block values of the run (stats.blocks), of every pooled run. */
  blocks: z.array(z.number().finite()).optional(),
  /** Measured performance: calls the value and blocks were computed from (all pooled runs). */
  calls: z.int().min(1).optional(),
  /** Pooled runs: each run's own value of the metric. */
  runValues: z.array(z.number().finite()).optional(),
  /** Pooled runs: run-to-run spread, the largest relative distance of a run's value from the pooled value; a smaller change is no regression. */
  spread: z.number().min(0).optional(),
  /** Tail metrics (p99): the p99.9 of the same calls, for the p99.9 binomial test. */
  p999: z.number().finite().optional(),
  /** Accuracy: images scored and how many were right. */
  n: z.int().min(1).optional(),
  correct: z.int().min(0).optional(),
  perImage: PerImage.optional(),
});

const Published = z.strictObject({
  type: z.literal('published'),
  document: z.string().min(1),
  url: z.string().optional(),
  commit: z.string().optional(),
  table: z.string().min(1),
  retrieved: z.string().optional(),
  /** Versions the document states (SDK, board image); compared in the environment diff. */
  versions: z.record(z.string(), z.string()).default({}),
  notes: z.array(z.string()).default([]),
});

const MeasuredRun = z.strictObject({
  runId: z.string().min(1),
  date: z.string().min(1),
  suite: z.string().min(1),
  env: z.record(z.string(), z.unknown()),
});

const Measured = z.strictObject({
  type: z.literal('measured'),
  runs: z.array(MeasuredRun).min(1),
});

export const BaselineFileSchema = z.strictObject({
  schemaVersion: z.union([z.literal(READABLE_VERSIONS[0]), z.literal(READABLE_VERSIONS[1])]),
  name: z.string().min(1),
  description: z.string().optional(),
  /** Entries from simulated devices; such a file never holds hardware entries, nor the reverse. */
  simulated: z.boolean(),
  provenance: z.discriminatedUnion('type', [Published, Measured]),
  /** reproduce: how to print the table and which suites measure it. */
  table: z
    .strictObject({
      title: z.string(),
      suite: z.string().optional(),
      simulatedSuite: z.string().optional(),
    })
    .optional(),
  entries: z.array(BaselineEntry),
});

export type BaselineFile = z.output<typeof BaselineFileSchema>;
export type BaselineEntryValue = z.output<typeof BaselineEntry>;
export type BaselineKeyValue = z.output<typeof BaselineKey>;

export interface LoadedBaseline {
  file: string;
  baseline: BaselineFile;
}

/** Parses a baseline file; every problem is a bad-input error naming the file and the field. */
export function parseBaseline(text: string, file: string): BaselineFile {
  const b = parseJsonFile(text, file, BaselineFileSchema, {
    what: 'baseline',
    madeBy: "A baseline file is written by 'infergate baseline update'; see baselines/README.md and schema/baseline.schema.json for the format.",
    schemaVersion: BASELINE_SCHEMA_VERSION,
  });
  for (const [i, e] of b.entries.entries()) {
    if (b.simulated !== (findTarget(e.key.target)?.simulated ?? false)) {
      throw new UserError(`${file} entries[${i}].key.target: '${e.key.target}' is ${b.simulated ? 'a hardware target in a simulated' : 'a simulated target in a hardware'} baseline; simulated and hardware figures never share a file.`);
    }
  }
  return b;
}

export function loadBaselineFile(file: string): LoadedBaseline {
  return { file, baseline: parseBaseline(readUserFile(file, 'baseline'), file) };
}


/** A baseline file, or every *.json under a folder (sorted, so the order is stable). */
export function loadBaselines(path: string): LoadedBaseline[] {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new UserError(`baseline ${path}: no such file or folder; pass --baseline with a baseline .json or a folder of them (e.g. baselines/).`);
  }
  if (!isDir) return [loadBaselineFile(path)];
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.json')) files.push(p);
    }
  };
  walk(path);
  if (!files.length) throw new UserError(`baseline ${path}: the folder holds no baseline .json files.`);
  return files.map(loadBaselineFile);
}
