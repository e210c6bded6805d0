/**
 * How each vendor tool is asked to measure what infergate just measured: the same artifact, the
 * same threads and batch, the same device or BPU core, and a run at least as long as ours.
 */
import type { PeerTool } from '../core/index.js';
import type { Case } from '../suite/case.js';
import { parseHrtPerf, parseMmRunSummary, type ParsedSummary } from './parse.js';

export interface PeerInvocation {
  args: string[];
  timeoutMs: number;
  parse(text: string): ParsedSummary;
  /** The tool's qps (images/s) and mean latency (ms) from its figures, by its own definitions. */
  headline(f: Record<string, number>, batch: number): { qps?: number; latencyMean?: number; notes: string[] };
  /** Why the tool cannot measure this case as infergate did, if it cannot. */
  refuse?: string;
}

const ms = (seconds: number) => String(Math.round(seconds * 1000));

/** Allowed time: the policy's maximum run and warm-up, three times over, plus a minute to load. */
function timeoutOf(c: Case): number {
  return Math.round((3 * (c.measure.warmup.duration + c.measure.maxDuration) + 60) * 1000);
}

export function invocation(tool: PeerTool, c: Case, artifact: string, measuredCalls: number): PeerInvocation {
  const { threads, batch } = c.key;
  if (tool === 'hrt_model_exec') {
    // frame_count is the run's total; at least the zoo's 200, at least as many calls as infergate measured.
    const frames = Math.max(200, measuredCalls);
    const core = c.native.bpuCore === 'any' ? '0' : String(c.native.bpuCore + 1);
    return {
      args: ['perf', '--model_file', artifact, '--thread_num', String(threads), '--frame_count', String(frames), '--core_id', core],
      timeoutMs: timeoutOf(c),
      parse: parseHrtPerf,
      ...(threads > 8 ? { refuse: `hrt_model_exec perf takes 1 to 8 threads (thread_num), the case has ${threads}` } : {}),
      headline: (f) => ({
        ...(f.fps !== undefined ? { qps: f.fps * batch } : {}),
        ...(f.latencyMeanMs !== undefined ? { latencyMean: f.latencyMeanMs } : {}),
        notes: batch > 1 ? [`frame rate x batch ${batch} = images per second (a frame is one call of the batch-${batch} model)`] : [],
      }),
    };
  }
  return {
    args: [
      '--magicmind_model', artifact,
      '--threads', String(threads),
      '--batch_size', String(batch),
      '--iterations', String(c.measure.minIterations),
      '--duration', ms(c.measure.minDuration),
      '--warmup', ms(c.measure.warmup.duration),
      '--devices', String(c.native.device),
    ],
    timeoutMs: timeoutOf(c),
    parse: parseMmRunSummary,
    headline: (f) => {
      const stages = ['h2d', 'mlucompute', 'd2h'].map((s) => f[`${s}.mean`]);
      const all = stages.every((v) => v !== undefined);
      return {
        ...(f.qps !== undefined ? { qps: f.qps } : {}),
        ...(all ? { latencyMean: stages.reduce((a, b) => a! + b!, 0)! } : {}),
        notes: all ? ['mean latency = H2D + MLU compute + D2H means (mm_run reports the stages apart)'] : [],
      };
    },
  };
}
