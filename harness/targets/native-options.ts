/** Options the native backends take for a case: the sim device's service-time model, or the vendor runtime's device settings. */
import { InfraError } from '../errors.js';
import type { Case } from '../suite/case.js';
import { deviceLatencyMs, simProfile } from './sim-profiles.js';

export interface NativeBackendOptions {
  options: Record<string, string | number>;
  /** Where the sim's numbers come from (recorded with the session). */
  profileSource?: string;
}

export function simOptions(c: Case): NativeBackendOptions {
  const profile = simProfile(c.target.id, c.key.precision);
  if (!profile) throw new InfraError(`no simulation profile for ${c.target.id} at ${c.key.precision}`);
  // native.sim.slowdown scales every service time: a known, injected regression for gate tests.
  // The suite schema has checked every key and value (native.sim, include[].sim).
  const { slowdown = 1, ...injected } = c.native.sim;
  const options = {
    device: c.target.id,
    cores: profile.cores,
    fixed_us: Math.round(deviceLatencyMs(profile, c.key.batch) * 1000 * slowdown),
    host_us: Math.round(profile.hostMs * 1000 * slowdown),
    jitter: profile.jitter,
    seed: 1,
    // A hung device answers nothing: the sim gives up after native.timeoutMs, as the vendor runtimes do.
    timeout_ms: c.native.timeoutMs,
    ...injected,
  };
  return { options, profileSource: profile.source };
}

export function vendorOptions(c: Case): NativeBackendOptions {
  return { options: { device: c.native.device, bpu_core: c.native.bpuCore, timeout_ms: c.native.timeoutMs } };
}
