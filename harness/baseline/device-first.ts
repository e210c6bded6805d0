/**
 * A simulated device is judged on its device time first: the sim's device time comes from its
 * service-time model, while host-side timing of a simulated device on a busy machine measures the
 * machine. So a host-timing verdict of a simulated case stands only when the device time moved
 * the same way; otherwise it is reported as a pass that says what the host saw.
 */
import { METRICS, type MetricVerdict, type Verdict } from '../core/index.js';
import { signedPct } from './wording.js';

const JUDGED: readonly Verdict[] = ['pass', 'regressed', 'improved', 'inconclusive'];

export function judgeDeviceFirst(verdicts: readonly MetricVerdict[]): MetricVerdict[] {
  const device = verdicts.filter((v) => v.metric !== 'case' && METRICS[v.metric].timing === 'device' && JUDGED.includes(v.verdict));
  if (!device.length || !verdicts.every((v) => v.simulated)) return [...verdicts];
  const moved = (dir: Verdict) => device.some((d) => d.verdict === dir);
  const summary = device.map((d) => `${METRICS[d.metric as keyof typeof METRICS].label} ${d.change === undefined ? '' : `${signedPct(d.change)} `}(${d.verdict})`).join(', ');
  return verdicts.map((v) => {
    if (v.metric === 'case' || METRICS[v.metric].timing !== 'host') return v;
    const stands =
      v.verdict === 'pass' || !JUDGED.includes(v.verdict) || (v.verdict === 'regressed' && moved('regressed')) || (v.verdict === 'improved' && moved('improved')) || (v.verdict === 'inconclusive' && (moved('regressed') || moved('improved')));
    if (stands) return v;
    return { ...v, verdict: 'pass', reason: `host timing said ${v.verdict} (${v.reason}); not held against the simulated device, whose device time did not move so: ${summary}. Host timing of a simulated device on a busy machine measures the machine` };
  });
}
