/**
 * One run per run folder: `run` and `run --resume` hold run.lock (pid, host, start time, created
 * with O_EXCL) while they write there. A second run into the same folder is refused naming the
 * holder; a lock whose process is gone (same host, dead pid: a kill -9, a power cut) is taken
 * over with a notice.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../errors.js';
import { fileError } from '../util/files.js';

export const LOCK_FILE = 'run.lock';

interface Holder {
  pid: number;
  host: string;
  startedAt: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): Holder | undefined {
  try {
    const h = JSON.parse(readFileSync(file, 'utf8')) as Holder;
    return typeof h.pid === 'number' && typeof h.host === 'string' ? h : undefined;
  } catch {
    return undefined; // written half-way by a holder that died: stale
  }
}

export class RunLock {
  private constructor(readonly file: string) {}

  /** Takes the lock on runDir (which must exist), or throws naming who holds it. */
  static acquire(runDir: string, flag: string, notice: (line: string) => void): RunLock {
    const file = join(runDir, LOCK_FILE);
    const me: Holder = { pid: process.pid, host: hostname(), startedAt: new Date().toISOString() };
    for (let attempt = 0; ; attempt++) {
      try {
        const fd = openSync(file, 'wx');
        try {
          writeSync(fd, JSON.stringify(me) + '\n');
        } finally {
          closeSync(fd);
        }
        return new RunLock(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw fileError(err, file);
        if (attempt > 0) throw new UserError(`${flag} ${runDir}: another infergate run took over ${file} at the same moment; wait for it to finish, or give another folder.`);
      }
      const holder = readHolder(file);
      if (holder && (holder.host !== me.host || alive(holder.pid))) {
        throw new UserError(
          `${flag} ${runDir}: another infergate run (pid ${holder.pid} on ${holder.host}, since ${holder.startedAt}) is writing this run folder (${file}); wait for it to finish, or give another folder.`,
        );
      }
      notice(`infergate: taking over ${file}: ${holder ? `its run (pid ${holder.pid}, since ${holder.startedAt}) is no longer running` : 'it is unreadable'}`);
      rmSync(file, { force: true });
    }
  }

  release(): void {
    rmSync(this.file, { force: true });
  }
}
