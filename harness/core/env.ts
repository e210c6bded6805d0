/** The environment fingerprint a result carries: what machine and software stack produced it. */
export interface EnvFingerprint {
  host: string;
  os: { platform: string; release: string; distro?: string; arch: string };
  cpu: { model: string; logicalCores: number; flags?: string[] };
  memoryGiB: number;
  node: string;
  infergate: { version: string; commit?: string; dirty?: boolean };
  runtimes: Record<string, string>;
  /** Per target: the versions its backend can read (driver, runtime, SDK, firmware). */
  targets: Record<string, Record<string, string>>;
  /** Stable across reboots: never a hash of volatile values. */
  machineClass: string;
}

/**
 * A case's machine class, the stable key its baselines hang on: the host CPU class for ort-cpu
 * (what it runs on), the board for the vendor targets and the simulated devices.
 */
export function caseMachineClass(target: { id: string; backend: string }, env: Pick<EnvFingerprint, 'machineClass'>): string {
  return target.backend === 'ort' ? `${target.id}@${env.machineClass}` : target.id;
}
