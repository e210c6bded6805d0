/** The environment fingerprint a result carries: what machine and software stack produced it. */
import { z } from 'zod';

export const EnvFingerprintSchema = z.object({
  host: z.string(),
  os: z.object({ platform: z.string(), release: z.string(), distro: z.string().optional(), arch: z.string() }),
  cpu: z.object({ model: z.string(), logicalCores: z.number().int(), flags: z.array(z.string()).optional() }),
  memoryGiB: z.number(),
  node: z.string(),
  infergate: z.object({ version: z.string(), commit: z.string().optional(), dirty: z.boolean().optional() }),
  runtimes: z.record(z.string(), z.string()),
  /** Per target: the versions its backend can read (driver, runtime, SDK, firmware). */
  targets: z.record(z.string(), z.record(z.string(), z.string())),
  /** Stable across reboots: never a hash of volatile values. */
  machineClass: z.string(),
});
export type EnvFingerprint = z.output<typeof EnvFingerprintSchema>;

/**
 * A case's machine class, the stable key its baselines hang on: the host CPU class for ort-cpu
 * (what it runs on), the board for the vendor targets and the simulated devices.
 */
export function caseMachineClass(target: { id: string; backend: string }, env: Pick<EnvFingerprint, 'machineClass'>): string {
  return target.backend === 'ort' ? `${target.id}@${env.machineClass}` : target.id;
}

/**
 * A run's machine class, the folder it goes under in a results store (`<class>/<run id>/`): the
 * board when every case runs on one board (vendor or simulated), else the host's class (host CPU
 * runs, and suites mixing the host with boards). Safe as one folder name.
 */
export function runMachineClass(targets: readonly { id: string; backend: string }[], env: Pick<EnvFingerprint, 'machineClass'>): string {
  const boards = new Set(targets.map((t) => (t.backend === 'ort' ? '' : t.id)));
  const cls = boards.size === 1 && !boards.has('') ? [...boards][0]! : env.machineClass;
  return cls.replace(/[^A-Za-z0-9._@+-]+/g, '-') || 'unknown';
}
