/** Precisions: the seeds' (MagicMind's) names are canonical; short aliases are accepted in suites. */
export const PRECISIONS = ['force_float32', 'force_float16', 'qint8_mixed_float16'] as const;
export type Precision = (typeof PRECISIONS)[number];

export const PRECISION_ALIASES: Record<string, Precision> = {
  fp32: 'force_float32',
  fp16: 'force_float16',
  int8: 'qint8_mixed_float16',
};

export function canonicalPrecision(p: string): Precision {
  return (PRECISION_ALIASES[p] ?? p) as Precision;
}
