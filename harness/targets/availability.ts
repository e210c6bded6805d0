/**
 * Can this machine run a target right now, and if not, why. The answer is a fact for `doctor`
 * and a preflight check for `run` (unavailable targets exit 3 unless --allow-unavailable).
 */
import { createRequire } from 'node:module';
import { dependencyVersion } from '../env/fingerprint.js';
import type { TargetInfo } from './catalog.js';
import { loadNative } from './native.js';

export interface Availability {
  available: boolean;
  reason?: string;
  versions: Record<string, string>;
}

const require = createRequire(import.meta.url);

function ortAvailability(): Availability {
  try {
    require('onnxruntime-node');
    return { available: true, versions: { 'onnxruntime-node': dependencyVersion('onnxruntime-node') ?? 'unknown' } };
  } catch (err) {
    return { available: false, reason: `onnxruntime-node does not load: ${(err as Error).message.split('\n')[0]}`, versions: {} };
  }
}

export function targetAvailability(target: TargetInfo): Availability {
  switch (target.backend) {
    case 'ort':
      return ortAvailability();
    case 'sim':
    case 'magicmind':
    case 'hbdnn':
      return nativeAvailability(target);
  }
}

const NOT_COMPILED: Record<string, string> = {
  magicmind: 'the MagicMind backend is not compiled into this build: build the addon (npm run build:native) where NEUWARE_HOME (default /usr/local/neuware) has include/mm_runtime.h and include/cnrt.h, on a machine with an MLU370',
  hbdnn: 'the hbDNN backend is not compiled into this build: build the addon (npm run build:native) on an RDK X5, where /usr/include/dnn/hb_dnn.h exists (or HBDNN_HOME points at the SDK)',
};

function nativeAvailability(target: TargetInfo): Availability {
  const { addon, reason } = loadNative();
  if (!addon) return { available: false, reason, versions: {} };
  if (!addon.compiledBackends().includes(target.backend)) return { available: false, reason: NOT_COMPILED[target.backend], versions: {} };
  try {
    // Reading versions talks to the runtime and driver: a missing device fails here, with its message.
    return { available: true, versions: addon.versions(target.backend) };
  } catch (err) {
    return { available: false, reason: `${target.device} not usable: ${(err as Error).message}`, versions: {} };
  }
}
