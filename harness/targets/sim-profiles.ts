/**
 * Service-time models of the simulated devices, derived from published figures (cited below).
 * A profile says how long the device is busy per call at a batch size, how many calls it serves
 * at once, and how much per-call host time runs in parallel. Results on sim-* targets are
 * labelled simulated everywhere and never compared with hardware baselines.
 */
import type { Precision } from '../core/index.js';

export interface SimProfile {
  /** The published source the numbers come from. */
  source: string;
  /** Registry model the figures were measured with. */
  model: string;
  /** Calls the device serves at once. */
  cores: number;
  /** Published per-call device latency (ms) at each batch size: [batch, ms] sorted by batch. */
  latencyMs: [number, number][];
  /** Per-call host time outside the device (ms), parallel across threads. */
  hostMs: number;
  /** Relative sd of the service time (seeded). */
  jitter: number;
}

const MAGICMIND_SOURCE =
  'Cambricon/magicmind_cloud buildin/cv/classification/resnet50_onnx/README.MD, 5.1 performance table (mm_run --threads 1), commit 2dcc797f';

/** Single-thread mm_run: latency per call = batch / qps. */
function fromQps(points: [number, number][]): [number, number][] {
  return points.map(([batch, qps]) => [batch, (batch / qps) * 1000]);
}

const MLU = (points: [number, number][]): SimProfile => ({
  source: MAGICMIND_SOURCE,
  model: 'resnet50-v1-7',
  // The table is single-threaded: nothing published says how threads scale, so calls serialise.
  cores: 1,
  latencyMs: fromQps(points),
  hostMs: 0,
  jitter: 0.005,
});

export const SIM_PROFILES: Record<string, Partial<Record<Precision, SimProfile>>> = {
  'sim-mlu370-s4': {
    force_float32: MLU([[1, 193.47], [4, 640.334], [8, 786.004]]),
    force_float16: MLU([[1, 587.342], [4, 1947.97], [8, 2404.88]]),
    qint8_mixed_float16: MLU([[1, 1125.71], [4, 4189.73], [8, 5782.66]]),
  },
  'sim-mlu370-x4': {
    force_float32: MLU([[1, 194.266], [4, 590.223], [8, 1026.66]]),
    force_float16: MLU([[1, 573.044], [4, 1762.06], [8, 3253.08]]),
    qint8_mixed_float16: MLU([[1, 1267.76], [4, 3747.53], [8, 6966.43]]),
  },
  'sim-rdk-x5': {
    // RDK X5 model zoo, ResNet18 224x224 (hrt_model_exec perf): 2.95 ms with 1 thread; 8.81 ms and
    // 448.79 FPS with 4 threads. One BPU core busy 1/448.79 s = 2.228 ms a frame, plus 0.72 ms of
    // host time per call: 1 thread 2.95 ms; 4 threads device-bound at 448.8 FPS, 8.9 ms.
    qint8_mixed_float16: {
      source: 'D-Robotics/rdk_model_zoo, ResNet18 224x224 on RDK X5 (hrt_model_exec perf: 1 and 4 threads)',
      model: 'resnet18-v1-7',
      cores: 1,
      latencyMs: [[1, 1000 / 448.79]],
      hostMs: 2.95 - 1000 / 448.79,
      jitter: 0.005,
    },
  },
};

/** Device latency at a batch: published points, linear between them, linear beyond the last two. */
export function deviceLatencyMs(profile: SimProfile, batch: number): number {
  const pts = profile.latencyMs;
  if (pts.length === 1) return pts[0]![1] * batch;
  for (let i = 0; i < pts.length - 1; i++) {
    const [b0, l0] = pts[i]!;
    const [b1, l1] = pts[i + 1]!;
    if (batch <= b1 || i === pts.length - 2) {
      const t = (batch - b0) / (b1 - b0);
      return Math.max(l0 * (batch / b0) * 0.1, l0 + t * (l1 - l0));
    }
  }
  return pts[pts.length - 1]![1];
}

export function simProfile(target: string, precision: Precision): SimProfile | undefined {
  return SIM_PROFILES[target]?.[precision];
}
