/**
 * Can this machine run a target right now, and if not, why. The answer is a fact for `doctor`
 * and a preflight check for `run` (unavailable targets exit 3 unless --allow-unavailable).
 */
import { createRequire } from 'node:module';
import type { TargetInfo } from './catalog.js';

export interface Availability {
  available: boolean;
  reason?: string;
  versions: Record<string, string>;
}

const require = createRequire(import.meta.url);

function ortAvailability(): Availability {
  try {
    const version = (require('onnxruntime-node/package.json') as { version: string }).version;
    require('onnxruntime-node');
    return { available: true, versions: { 'onnxruntime-node': version } };
  } catch (err) {
    return { available: false, reason: `onnxruntime-node does not load: ${(err as Error).message.split('\n')[0]}`, versions: {} };
  }
}

export function targetAvailability(target: TargetInfo): Availability {
  switch (target.backend) {
    case 'ort':
      return ortAvailability();
    case 'sim':
      return { available: false, reason: 'the native addon with the sim backend is not part of this build yet', versions: {} };
    case 'magicmind':
      return { available: false, reason: 'the MagicMind backend is not compiled into this build (needs the native addon built with NEUWARE_HOME holding the MagicMind SDK, and an MLU370 device)', versions: {} };
    case 'hbdnn':
      return { available: false, reason: 'the hbDNN backend is not compiled into this build (needs the native addon built on an RDK X5 with the hbDNN headers)', versions: {} };
  }
}
