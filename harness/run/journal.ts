/**
 * The run's journal: journal.jsonl in the run directory, one JSON line per finished case, each
 * written with a single write and fsynced before the run moves on. The reports are rebuilt from
 * it, so whatever kills the run (power, OOM, SIGKILL) loses at most the case in progress, and
 * `run --resume` runs just the cases the journal does not hold. A line cut off mid-write is only
 * ever the last one: resuming truncates it away (fsynced) before anything is appended.
 */
import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CaseResultSchema, EnvFingerprintSchema, ShardSchema, type CaseResult } from '../core/index.js';
import { UserError } from '../errors.js';
import { fileError } from '../util/files.js';
import { firstIssue } from '../util/json-file.js';

export const JOURNAL_FILE = 'journal.jsonl';
export const JOURNAL_VERSION = 1;

export const JournalHeaderSchema = z.object({
  type: z.literal('run'),
  journalVersion: z.number().int().min(1),
  runId: z.string(),
  suite: z.object({ name: z.string(), file: z.string(), description: z.string().optional() }),
  startedAt: z.string(),
  env: EnvFingerprintSchema,
  /** `run --shard`: --resume runs the same part of the suite. */
  shard: ShardSchema.optional(),
});
export type JournalHeader = z.output<typeof JournalHeaderSchema>;

export const JournalLineSchema = z.discriminatedUnion('type', [
  JournalHeaderSchema,
  z.object({ type: z.literal('case'), index: z.number().int().min(0), id: z.string(), result: CaseResultSchema }),
  z.object({ type: z.literal('resume'), at: z.string() }),
]);
export type JournalLine = z.input<typeof JournalLineSchema>;

export interface JournalContents {
  header: JournalHeader;
  /** Finished cases by case id (a later line for the same id wins). */
  cases: Map<string, { index: number; result: CaseResult }>;
  /** A torn last line (the process died mid-write) is dropped and counted here. */
  droppedLines: number;
  /** Bytes up to the end of the last complete line: where appending resumes. */
  completeBytes: number;
}

export class Journal {
  private readonly fd: number;

  private constructor(readonly path: string) {
    try {
      this.fd = openSync(path, 'a');
    } catch (err) {
      throw fileError(err, path);
    }
  }

  static create(runDir: string, header: Omit<JournalHeader, 'type' | 'journalVersion'>): Journal {
    const j = new Journal(join(runDir, JOURNAL_FILE));
    j.append({ type: 'run', journalVersion: JOURNAL_VERSION, ...header });
    return j;
  }

  /** Reopens for appending, first cutting away a torn last line so the next line starts clean. */
  static reopen(runDir: string, contents: JournalContents): Journal {
    const j = new Journal(join(runDir, JOURNAL_FILE));
    if (contents.droppedLines) {
      ftruncateSync(j.fd, contents.completeBytes);
      fsyncSync(j.fd);
    }
    j.append({ type: 'resume', at: new Date().toISOString() });
    return j;
  }

  append(line: JournalLine): void {
    // One write of the whole line, then fsync: a crash leaves whole lines, or a torn last one.
    try {
      writeSync(this.fd, JSON.stringify(line) + '\n');
      fsyncSync(this.fd);
    } catch (err) {
      throw fileError(err, this.path);
    }
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
  const bytes = readFileSync(path);
  // Everything after the last newline was never finished: the one place a crash can tear.
  const completeBytes = bytes.lastIndexOf(0x0a) + 1;
  const torn = bytes.subarray(completeBytes).toString('utf8').trim() ? 1 : 0;
  const lines = bytes.subarray(0, completeBytes).toString('utf8').split('\n');
  let header: JournalHeader | undefined;
  const cases = new Map<string, { index: number; result: CaseResult }>();
  lines.forEach((text, i) => {
    if (!text.trim()) return;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new UserError(`${path}:${i + 1}: not a JSON line; the journal is damaged (only a last line can be torn by a crash).`);
    }
    const version = (raw as { journalVersion?: unknown }).journalVersion;
    if (typeof version === 'number' && version > JOURNAL_VERSION) throw new UserError(`${path}:${i + 1} journalVersion: ${version} is newer than this infergate reads (${JOURNAL_VERSION}).`);
    const parsed = JournalLineSchema.safeParse(raw);
    if (!parsed.success) throw new UserError(`${path}:${i + 1} ${firstIssue(parsed.error)}; the journal is damaged.`);
    const line = parsed.data;
    if (line.type === 'run') header = line;
    else if (line.type === 'case') cases.set(line.id, { index: line.index, result: line.result });
  });
  if (!header) throw new UserError(`${path}: no run header line; the journal is damaged.`);
  return { header, cases, droppedLines: torn, completeBytes };
}
