/** Suite field types shared by the schema: durations, and names checked against what infergate knows (with "did you mean"). */
import { z } from 'zod';
import { PRECISION_ALIASES, PRECISIONS } from '../core/index.js';
import { knownModelIds } from '../models/registry.js';
import { findTarget, targetIds } from '../targets/catalog.js';
import { didYouMean } from './did-you-mean.js';

const DURATION_RE = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min)$/;

/** Seconds as a number, or a string with a unit: "500ms", "3s", "2m". */
export const Duration = z
  .union([z.number().nonnegative(), z.string().regex(DURATION_RE, 'expected a duration like 500ms, 3s or 2m')])
  .transform((v) => (typeof v === 'number' ? v : parseDuration(v)));

/** A duration that must be above zero (timeouts: 0 would kill every case). */
export const PositiveDuration = Duration.refine((v) => v > 0, { message: 'must be above zero' });

export function parseDuration(text: string): number {
  const m = DURATION_RE.exec(text.trim());
  if (!m) throw new Error(`not a duration: ${text}`);
  const value = Number(m[1]);
  switch (m[2]) {
    case 'ms':
      return value / 1000;
    case 's':
      return value;
    default:
      return value * 60;
  }
}

function knownList(all: readonly string[], max = 8): string {
  return all.length <= max ? all.join(', ') : `${all.slice(0, max).join(', ')}, ...`;
}

export const PrecisionName = z.string().superRefine((p, ctx) => {
  if ((PRECISIONS as readonly string[]).includes(p) || p in PRECISION_ALIASES) return;
  const names = [...PRECISIONS, ...Object.keys(PRECISION_ALIASES)];
  const hint = didYouMean(p, names);
  ctx.addIssue({
    code: 'custom',
    message: `unknown precision '${p}'${hint ? ` (did you mean '${hint}'?)` : ''} (known: ${names.join(', ')})`,
  });
});

export const TargetName = z.string().superRefine((t, ctx) => {
  if (findTarget(t)) return;
  const hint = didYouMean(t, targetIds());
  ctx.addIssue({
    code: 'custom',
    message: `unknown target '${t}'${hint ? ` (did you mean '${hint}'?)` : ''} (known: ${knownList(targetIds())})`,
  });
});

/** A registry id, `id@synthetic`, or a path to an .onnx file (relative to the suite). */
export function isModelPath(ref: string): boolean {
  return ref.endsWith('.onnx') || ref.includes('/') || ref.includes('\\');
}

const ModelName = z
  .string()
  .min(1)
  .superRefine((m, ctx) => {
    if (isModelPath(m) || knownModelIds().includes(m)) return;
    const hint = didYouMean(m, knownModelIds());
    ctx.addIssue({
      code: 'custom',
      message: `unknown model '${m}'${hint ? ` (did you mean '${hint}'?)` : ''} (known: ${knownList(knownModelIds())}; or give a path to an .onnx file)`,
    });
  });

export const WeightsPolicy = z.enum(['auto', 'real', 'synthetic']);

const ModelObject = z.strictObject({
  id: ModelName.describe('registry id (resnet50-v1-7, resnet18-v1-7@synthetic, ...) or a path to an .onnx file'),
  name: z.string().min(1).optional().describe('label used in reports and case keys; defaults to id'),
  weights: WeightsPolicy.default('auto').describe(
    'auto: real file if found, else synthetic weights for timing (said in the report); real: require the real file; synthetic: always seeded weights',
  ),
});

export const ModelRef = z.union([ModelName, ModelObject]);
