/**
 * Vendor tools as a second opinion: after infergate measured a case on mlu370-* or rdk-x5, each
 * tool the suite names (peers: [mm_run] / [hrt_model_exec]) runs on the same artifact with the
 * same threads and batch (an argument array, a timeout), its whole output is kept in the run
 * folder (peers/case-NNN-TOOL.log), and its summary's figures are recorded beside infergate's
 * with the ratio infergate / tool. A tool that is missing, fails or prints nothing recognisable
 * never fails the case: the figure is absent and the result says why.
 */
import { join } from 'node:path';
import type { PeerResult, PeerTool } from '../core/index.js';
import type { Case } from '../suite/case.js';
import { writeAtomic } from '../util/files.js';
import { runToolAsync } from '../util/run-tool.js';
import { findOnPath } from '../util/which.js';
import { invocation } from './tools.js';

export interface Ours {
  qps: number;
  latencyMean: number;
  /** Measured calls, all threads. */
  calls: number;
}

export async function runPeer(tool: PeerTool, c: Case, artifact: string, ours: Ours, runDir: string, outputFile: string): Promise<PeerResult> {
  const base = { tool, figures: {}, ratio: {}, warnings: [] as string[] };
  const path = findOnPath(tool);
  if (!path) return { ...base, status: 'absent', reason: `${tool} is not on PATH` };
  const inv = invocation(tool, c, artifact, ours.calls);
  if (inv.refuse) return { ...base, status: 'failed', reason: inv.refuse };
  const out = await runToolAsync(path, inv.args, { timeoutMs: inv.timeoutMs, maxBytes: 64 * 1024 * 1024 });
  const command = [path, ...inv.args];
  writeAtomic(join(runDir, outputFile), `$ ${command.join(' ')}\n${out.stdout}${out.stderr ? `\n[stderr]\n${out.stderr}` : ''}\n(${out.ok ? 'exit 0' : out.reason}, ${(out.elapsedMs / 1000).toFixed(1)} s)\n`);
  const parsed = inv.parse(out.stdout + '\n' + out.stderr);
  const head = inv.headline(parsed.figures, c.key.batch);
  const ratio = {
    ...(head.qps ? { qps: ours.qps / head.qps } : {}),
    ...(head.latencyMean ? { latencyMean: ours.latencyMean / head.latencyMean } : {}),
  };
  const found = head.qps !== undefined || head.latencyMean !== undefined;
  const reason = !out.ok ? `${tool} ${out.reason}` : !found ? `${tool} printed no summary line infergate recognises (its output is in ${outputFile})` : undefined;
  return {
    tool,
    ...(parsed.version ? { version: parsed.version } : {}),
    status: found ? 'ok' : 'failed',
    ...(reason ? { reason } : {}),
    command,
    outputFile,
    ...(head.qps !== undefined ? { qps: head.qps } : {}),
    ...(head.latencyMean !== undefined ? { latencyMean: head.latencyMean } : {}),
    figures: parsed.figures,
    ratio,
    ...(parsed.unrecognised.length ? { unrecognised: parsed.unrecognised } : {}),
    warnings: found && !out.ok ? [`${tool} ${out.reason}; figures taken from what it printed`] : [],
    ...(head.notes.length ? { notes: head.notes } : {}),
  };
}

/** Every peer of a case, one after another (they would compete for the device). */
export async function runPeers(c: Case, artifact: string, ours: Ours, runDir: string, number: string, signal?: AbortSignal): Promise<PeerResult[]> {
  const out: PeerResult[] = [];
  for (const tool of c.peers) {
    if (signal?.aborted) break;
    out.push(await runPeer(tool, c, artifact, ours, runDir, `peers/case-${number}-${tool}.log`));
  }
  return out;
}
