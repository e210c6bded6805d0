/**
 * Evidence-based warnings from a case's telemetry, and the evidence for the measurement's own
 * drift and high-CV warnings. Each names what was seen, how much and where:
 * - frequency below its maximum (95% of cpuinfo_max_freq / devfreq max_freq) in more than 10% of
 *   the samples of the window (CPU cores: only samples where the core was busy, > 50%);
 * - temperature rising by more than TEMPERATURE_RISE_C (10 C) between the first and the last
 *   samples of the window (a mean of up to three at each end);
 * - host CPU busy with other processes: busy time beyond this process's own above 10% of all
 *   cores on average (the measuring threads and the runtime's threads are this process's);
 * - accelerator utilisation below 90% on average in a throughput case (threads or batch above 1).
 */
import type { TelemetryMetricSummary, TelemetryWarning, Validity } from '../core/index.js';
import type { Series } from './sampler.js';

export const TELEMETRY_LIMITS = {
  /** A frequency below this share of its maximum counts as below it. */
  freqShare: 0.95,
  /** Below the maximum in more than this share of the window's samples: a warning. */
  freqTime: 0.1,
  /** A CPU core counts as busy above this utilisation (%). */
  busyCore: 50,
  /** Degrees C of rise over the window that warrant a warning. */
  temperatureRise: 10,
  /** Mean share of all cores (%) kept busy by other processes. */
  othersBusy: 10,
  /** Mean accelerator utilisation (%) below which a throughput case is not saturating it. */
  acceleratorBusy: 90,
};

export interface WarningContext {
  series: readonly Series[];
  metrics: readonly TelemetryMetricSummary[];
  threads: number;
  batch: number;
  cores: number;
}

const f1 = (v: number) => v.toFixed(1);

function frequencyWarnings(ctx: WarningContext): TelemetryWarning[] {
  const out: string[] = [];
  for (const s of ctx.series.filter((x) => (x.metric === 'cpu.freq' || x.metric === 'bpu.freq') && x.ceiling)) {
    const util = s.metric === 'cpu.freq' ? ctx.series.find((x) => x.metric === 'cpu.util' && x.device === s.device) : undefined;
    const busyAt = (t: number) => {
      if (!util) return true;
      const p = util.points.find((q) => q.t === t);
      return p ? p.v > TELEMETRY_LIMITS.busyCore : false;
    };
    const judged = s.points.filter((p) => busyAt(p.t));
    if (judged.length < 2) continue;
    const below = judged.filter((p) => p.v < TELEMETRY_LIMITS.freqShare * s.ceiling!);
    const share = below.length / judged.length;
    if (share > TELEMETRY_LIMITS.freqTime) {
      const mean = below.reduce((a, p) => a + p.v, 0) / below.length;
      out.push(`${s.device} below its maximum ${s.ceiling!.toFixed(0)} MHz in ${(share * 100).toFixed(0)}% of ${util ? 'its busy ' : ''}samples (mean ${mean.toFixed(0)} MHz there)`);
    }
  }
  return out.length ? [{ code: 'frequency-below-max', message: `frequency scaling or throttling: ${out.join('; ')}` }] : [];
}

function temperatureWarnings(ctx: WarningContext): TelemetryWarning[] {
  const out: string[] = [];
  for (const s of ctx.series.filter((x) => x.metric === 'temp' || x.metric === 'mlu.temp' || x.metric === 'soc.temp')) {
    if (s.points.length < 2) continue;
    const k = Math.max(1, Math.min(3, Math.floor(s.points.length / 3)));
    const mean = (ps: typeof s.points) => ps.reduce((a, p) => a + p.v, 0) / ps.length;
    const rise = mean(s.points.slice(-k)) - mean(s.points.slice(0, k));
    if (rise > TELEMETRY_LIMITS.temperatureRise) out.push(`${s.device} rose ${f1(rise)} C (to ${f1(s.points.at(-1)!.v)} C)`);
  }
  return out.length ? [{ code: 'temperature-rise', message: `temperature rose more than ${TELEMETRY_LIMITS.temperatureRise} C during the window: ${out.join('; ')}` }] : [];
}

function hostBusyWarnings(ctx: WarningContext): TelemetryWarning[] {
  const others = ctx.metrics.find((m) => m.metric === 'cpu.others');
  if (!others || others.n < 2 || others.mean <= TELEMETRY_LIMITS.othersBusy) return [];
  return [
    {
      code: 'host-busy',
      message: `other processes kept ${f1(others.mean)}% of the host's ${ctx.cores} cores busy on average (up to ${f1(others.max)}%), beyond what the measuring threads explain: background load`,
    },
  ];
}

function acceleratorWarnings(ctx: WarningContext): TelemetryWarning[] {
  if (ctx.threads <= 1 && ctx.batch <= 1) return [];
  const util = ctx.metrics.filter((m) => m.metric === 'mlu.util' || m.metric === 'bpu.util');
  if (!util.length) return [];
  const best = util.reduce((a, b) => (b.mean > a.mean ? b : a));
  if (best.mean >= TELEMETRY_LIMITS.acceleratorBusy) return [];
  const name = best.metric === 'mlu.util' ? 'MLU' : 'BPU';
  return [
    {
      code: 'accelerator-idle',
      message: `${name} utilisation averaged ${f1(best.mean)}% (${best.device}; < ${TELEMETRY_LIMITS.acceleratorBusy}%) in a throughput case (${ctx.threads} threads, batch ${ctx.batch}): add threads or batch`,
    },
  ];
}

export function telemetryWarnings(ctx: WarningContext): TelemetryWarning[] {
  return [...frequencyWarnings(ctx), ...temperatureWarnings(ctx), ...hostBusyWarnings(ctx), ...acceleratorWarnings(ctx)];
}

/** Warnings whose cause telemetry can see: drift and noise. */
const EXPLAINED = new Set(['drift', 'high-cv']);
const EVIDENCE = new Set(['frequency-below-max', 'temperature-rise', 'host-busy']);

/**
 * The measurement's drift and high-CV warnings with what the telemetry saw: the warnings that
 * explain them, or, when it watched and saw none of them, what it watched and that it saw nothing
 * (and what this machine could not show: no cpufreq, no temperature sensor).
 */
export function explainValidity(validity: Validity, warnings: readonly TelemetryWarning[], metrics: readonly TelemetryMetricSummary[]): Validity {
  const seen = warnings.filter((w) => EVIDENCE.has(w.code));
  const has = (...ids: string[]) => metrics.some((m) => ids.includes(m.metric) && m.n >= 2);
  const watched = [has('cpu.freq', 'bpu.freq') && 'frequency drop', has('temp', 'mlu.temp', 'soc.temp') && 'temperature rise', has('cpu.others') && 'other busy process'].filter((x): x is string => !!x);
  if (!seen.length && !watched.length) return validity;
  const blind = [!has('cpu.freq', 'bpu.freq') && 'frequency', !has('temp', 'mlu.temp', 'soc.temp') && 'temperature'].filter(Boolean);
  const evidence = seen.length
    ? `telemetry: ${seen.map((w) => w.message).join('; ')}`
    : `telemetry saw no ${watched.join(', no ')} in the window${blind.length ? ` (this host shows no ${blind.join(' or ')})` : ''}`;
  return {
    ...validity,
    warnings: validity.warnings.map((w) => (EXPLAINED.has(w.code) ? { ...w, evidence, message: `${w.message}; ${evidence}` } : w)),
  };
}
