/** Gate flags shared by `run --gate` and `compare`: thresholds, alpha, fail-on. */
import { DEFAULT_ALPHA, type GateOptions } from '../baseline/compare.js';
import { METRIC_IDS, parseThreshold, VERDICTS, type MetricId, type Verdict } from '../core/index.js';
import { UserError } from '../errors.js';

export interface GateFlags {
  alpha?: string;
  threshold?: string[];
  failOn?: string;
}

/** CLI flags over the suite's gate section over the defaults. */
export function gateOptionsFromFlags(flags: GateFlags, base: GateOptions = {}): GateOptions {
  const out: GateOptions = { ...base, thresholds: { ...base.thresholds } };
  if (flags.alpha !== undefined) {
    const a = Number(flags.alpha);
    if (!(a > 0 && a < 0.5)) throw new UserError(`--alpha ${flags.alpha}: the significance level must be between 0 and 0.5 (default ${DEFAULT_ALPHA}).`);
    out.alpha = a;
  }
  for (const t of flags.threshold ?? []) {
    const m = /^([a-z0-9.]+)=(\d+(?:\.\d+)?%?)$/.exec(t);
    if (!m || !METRIC_IDS.includes(m[1] as MetricId)) {
      throw new UserError(`--threshold ${t}: expected METRIC=VALUE with METRIC one of ${METRIC_IDS.join(', ')} and VALUE like 5% or 0.05.`);
    }
    const v = parseThreshold(m[2]!);
    if (!(v > 0 && v <= 10)) throw new UserError(`--threshold ${t}: the threshold must be above 0 and at most 1000%.`);
    out.thresholds![m[1] as MetricId] = v;
  }
  if (flags.failOn !== undefined) {
    const list = flags.failOn.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = list.filter((v) => !VERDICTS.includes(v as Verdict));
    if (!list.length || bad.length) throw new UserError(`--fail-on ${flags.failOn}: expected a comma-separated list of ${VERDICTS.join(', ')}.`);
    out.failOn = list as Verdict[];
  }
  return out;
}

export const collect = (value: string, previous: string[] = []) => [...previous, value];
