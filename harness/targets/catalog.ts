/**
 * The targets infergate knows: facts only (what device, which backend, simulated or not, which
 * precisions are implemented). Whether a target is usable on this machine is decided by
 * targets/availability.ts; the suite validator only needs the names.
 */
import { PRECISIONS, type Precision } from '../core/index.js';

export type BackendId = 'ort' | 'sim' | 'magicmind' | 'hbdnn';

export interface TargetInfo {
  id: string;
  backend: BackendId;
  device: string;
  simulated: boolean;
  description: string;
  /** Precisions this build can run on the target; others fail validation with "not supported yet". */
  precisions: readonly Precision[];
  /** For a simulated device: the hardware target it models. */
  simulates?: string;
}

export const TARGETS: readonly TargetInfo[] = [
  {
    id: 'ort-cpu',
    backend: 'ort',
    device: 'host CPU',
    simulated: false,
    description: 'the host CPU through onnxruntime-node (CPU execution provider); fp16 and int8 QDQ models built by the onnxruntime converter',
    precisions: PRECISIONS,
  },
  {
    id: 'mlu370-s4',
    backend: 'magicmind',
    device: 'Cambricon MLU370-S4',
    simulated: false,
    description: 'Cambricon MLU370-S4 through MagicMind (native addon)',
    precisions: PRECISIONS,
  },
  {
    id: 'mlu370-x4',
    backend: 'magicmind',
    device: 'Cambricon MLU370-X4',
    simulated: false,
    description: 'Cambricon MLU370-X4 through MagicMind (native addon)',
    precisions: PRECISIONS,
  },
  {
    id: 'rdk-x5',
    backend: 'hbdnn',
    device: 'Horizon RDK X5 BPU',
    simulated: false,
    description: 'Horizon RDK X5 BPU through hbDNN (native addon)',
    precisions: ['qint8_mixed_float16'],
  },
  {
    id: 'sim-mlu370-s4',
    backend: 'sim',
    simulates: 'mlu370-s4',
    device: 'simulated MLU370-S4',
    simulated: true,
    description: 'SIMULATED MLU370-S4 (service-time model from published figures, native addon)',
    precisions: PRECISIONS,
  },
  {
    id: 'sim-mlu370-x4',
    backend: 'sim',
    simulates: 'mlu370-x4',
    device: 'simulated MLU370-X4',
    simulated: true,
    description: 'SIMULATED MLU370-X4 (service-time model from published figures, native addon)',
    precisions: PRECISIONS,
  },
  {
    id: 'sim-rdk-x5',
    backend: 'sim',
    simulates: 'rdk-x5',
    device: 'simulated RDK X5',
    simulated: true,
    description: 'SIMULATED RDK X5 (service-time model from published figures, native addon)',
    precisions: ['qint8_mixed_float16'],
  },
];

export function findTarget(id: string): TargetInfo | undefined {
  return TARGETS.find((t) => t.id === id);
}

export function targetIds(): string[] {
  return TARGETS.map((t) => t.id);
}

/** The hardware a simulated target models (sim-mlu370-s4 -> mlu370-s4); undefined for hardware. */
export function simulatedHardware(id: string): string | undefined {
  return findTarget(id)?.simulates;
}

/** The simulated twin of a hardware target, if infergate has one. */
export function simulatorFor(hardwareId: string): string | undefined {
  return TARGETS.find((t) => t.simulates === hardwareId)?.id;
}
