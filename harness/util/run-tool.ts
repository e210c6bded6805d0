/**
 * Runs a machine tool (cnmon, hrut_somstatus, mm_run, hrt_model_exec) asynchronously, off the
 * measuring threads: an argument array (no shell ever sees a suite's or a tool's strings), a
 * timeout that kills it, and its output captured up to a bound. Never throws: a tool that is
 * missing, fails or hangs comes back as a result that says so.
 */
import { execFile } from 'node:child_process';

export interface ToolOutput {
  ok: boolean;
  /** Exit status, or null when it was killed or never started. */
  status: number | null;
  stdout: string;
  stderr: string;
  /** Why it is not ok: "timed out after 5 s", "exited with 1", "spawn ENOENT". */
  reason?: string;
  elapsedMs: number;
}

export function runToolAsync(file: string, args: readonly string[], options: { timeoutMs: number; maxBytes?: number; env?: NodeJS.ProcessEnv; cwd?: string }): Promise<ToolOutput> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    execFile(
      file,
      [...args],
      { timeout: options.timeoutMs, killSignal: 'SIGKILL', maxBuffer: options.maxBytes ?? 16 * 1024 * 1024, encoding: 'utf8', windowsHide: true, env: options.env, cwd: options.cwd },
      (err, stdout, stderr) => {
        const elapsedMs = performance.now() - t0;
        if (!err) return resolve({ ok: true, status: 0, stdout, stderr, elapsedMs });
        const e = err as NodeJS.ErrnoException & { killed?: boolean; code?: number | string; signal?: string };
        const status = typeof e.code === 'number' ? e.code : null;
        const reason = e.killed ? `timed out after ${(options.timeoutMs / 1000).toFixed(1)} s` : status !== null ? `exited with ${status}` : e.signal ? `killed by ${e.signal}` : e.message;
        resolve({ ok: false, status, stdout: stdout ?? '', stderr: stderr ?? '', reason, elapsedMs });
      },
    );
  });
}
