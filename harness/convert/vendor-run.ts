/**
 * Running the vendor toolchains, when this machine has them: MagicMind's Python package, and
 * Horizon's hb_mapper. Always with argument arrays (no shell sees a suite's strings), output
 * captured to a log file in the artifact folder.
 */
import { spawnSync } from 'node:child_process';
import { writeAtomic } from '../util/files.js';
import { findOnPath } from '../util/which.js';

export { findOnPath };

export function python(): string | undefined {
  return findOnPath('python3') ?? findOnPath('python');
}

/** True when `import magicmind.python.runtime` works in this machine's Python. */
export function magicmindImportable(): boolean {
  const py = python();
  if (!py) return false;
  const r = spawnSync(py, ['-c', 'import magicmind.python.runtime'], { stdio: 'ignore', timeout: 60_000 });
  return r.status === 0;
}

export interface ToolRun {
  ok: boolean;
  status: number | null;
  /** The command as run, for the log and the report (arguments are never interpreted by a shell). */
  command: string[];
  output: string;
}

/** Runs one step, appending its command and output to logFile. */
export function runTool(command: string, args: readonly string[], cwd: string, logFile: string, previous = ''): ToolRun {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 6 * 3600_000 });
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`;
  writeAtomic(logFile, `${previous}$ ${[command, ...args].join(' ')}\n${output}\n(exit ${r.status ?? r.signal})\n\n`);
  return { ok: r.status === 0, status: r.status, command: [command, ...args], output };
}
