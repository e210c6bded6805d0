/**
 * The run's journal: journal.jsonl in the run directory, one JSON line per finished case, each
 * written with a single write and fsynced before the run moves on. The reports are rebuilt from
 * it, so whatever kills the run (power, OOM, SIGKILL) loses at most the case in progress, and
 * `run --resume` runs just the cases the journal does not hold.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { CaseResult, EnvFingerprint } from '../core/index.js';
import { UserError } from '../errors.js';

export const JOURNAL_FILE = 'journal.jsonl';
export const JOURNAL_VERSION = 1;

export interface JournalHeader {
  type: 'run';
  journalVersion: number;
  runId: string;
  suite: { name: string; file: string; description?: string };
  startedAt: string;
  env: EnvFingerprint;
}

export type JournalLine = JournalHeader | { type: 'case'; index: number; id: string; result: CaseResult } | { type: 'resume'; at: string };

export interface JournalContents {
  header: JournalHeader;
  /** Finished cases by case id (a later line for the same id wins). */
  cases: Map<string, { index: number; result: CaseResult }>;
  /** A torn last line (the process died mid-write) is dropped and counted here. */
  droppedLines: number;
}

export class Journal {
  private readonly fd: number;

  private constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
  }

  static create(runDir: string, header: Omit<JournalHeader, 'type' | 'journalVersion'>): Journal {
    const j = new Journal(join(runDir, JOURNAL_FILE));
    j.append({ type: 'run', journalVersion: JOURNAL_VERSION, ...header });
    return j;
  }

  static reopen(runDir: string): Journal {
    const j = new Journal(join(runDir, JOURNAL_FILE));
    j.append({ type: 'resume', at: new Date().toISOString() });
    return j;
  }

  append(line: JournalLine): void {
    // One write of the whole line, then fsync: a crash leaves whole lines, or a torn last one.
    writeSync(this.fd, JSON.stringify(line) + '\n');
    fsyncSync(this.fd);
  }

  appendCase(index: number, result: CaseResult): void {
    this.append({ type: 'case', index, id: result.id, result });
  }

  close(): void {
    closeSync(this.fd);
  }
}

export function readJournal(runDir: string): JournalContents {
  const path = join(runDir, JOURNAL_FILE);
  if (!existsSync(path)) throw new UserError(`--resume ${runDir}: no ${JOURNAL_FILE} there; give the run directory of an earlier 'infergate run'.`);
  const lines = readFileSync(path, 'utf8').split('\n');
  let header: JournalHeader | undefined;
  const cases = new Map<string, { index: number; result: CaseResult }>();
  let dropped = 0;
  lines.forEach((text, i) => {
    if (!text.trim()) return;
    let line: JournalLine;
    try {
      line = JSON.parse(text) as JournalLine;
    } catch {
      // Only the last line can be torn by a crash; anything else is damage worth refusing.
      if (i >= lines.length - 2) {
        dropped++;
        return;
      }
      throw new UserError(`${path}:${i + 1}: not a JSON line; the journal is damaged.`);
    }
    if (line.type === 'run') {
      if (line.journalVersion > JOURNAL_VERSION) throw new UserError(`${path}:${i + 1} journalVersion: ${line.journalVersion} is newer than this infergate reads (${JOURNAL_VERSION}).`);
      header = line;
    } else if (line.type === 'case') cases.set(line.id, { index: line.index, result: line.result });
  });
  if (!header) throw new UserError(`${path}: no run header line; the journal is damaged.`);
  return { header, cases, droppedLines: dropped };
}
