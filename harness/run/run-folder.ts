/**
 * The run folder: its id and path, its lock, the suite as run (written first, so --resume can
 * read it back), and the journal, new or reopened (a torn last line cut away first).
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { runMachineClass, type EnvFingerprint, type Shard } from '../core/index.js';
import { collectFingerprint } from '../env/fingerprint.js';
import { UserError } from '../errors.js';
import { checkSuite } from '../suite/expand.js';
import { parseSuite, type LoadedSuite } from '../suite/load.js';
import { shardTag } from '../suite/shard.js';
import { fileError, writeAtomic } from '../util/files.js';
import { Journal, JOURNAL_FILE, readJournal, type JournalContents } from './journal.js';
import { RunLock } from './lock.js';

export interface RunFolder {
  runDir: string;
  runId: string;
  startedAt: string;
  env: EnvFingerprint;
  journal: Journal;
  lock: RunLock;
}

/** `<suite>-<UTC stamp>`, plus the shard: the shards of one night run at the same second on several boards. */
export function makeRunId(suiteName: string, when = new Date(), shard?: Shard): string {
  const stamp = when.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${suiteName}-${stamp}${shard ? `-${shardTag(shard)}` : ''}`;
}

function uniqueDir(base: string): string {
  if (!existsSync(base)) return base;
  for (let i = 2; ; i++) if (!existsSync(`${base}-${i}`)) return `${base}-${i}`;
}

export interface RunFolderOptions {
  outDir?: string;
  /** A results store: the run goes to <resultsDir>/<machine class>/<run id>/ (outDir wins). */
  resultsDir?: string;
  /** The targets of the cases this run holds: they decide its machine class. */
  targets: readonly { id: string; backend: string }[];
  shard?: Shard;
  resumeDir?: string;
  previous?: JournalContents;
  targetVersions: Record<string, Record<string, string>>;
  log: (line: string) => void;
}

/** A new run folder (default reports/<run-id>), or the one being resumed; either way locked for this run. */
export function openRunFolder(loaded: LoadedSuite, opts: RunFolderOptions): RunFolder {
  if (opts.previous) {
    const { runId, startedAt, env } = opts.previous.header;
    const runDir = resolve(opts.resumeDir!);
    const lock = RunLock.acquire(runDir, '--resume', opts.log);
    return { runDir, runId, startedAt, env, journal: withLock(lock, () => Journal.reopen(runDir, opts.previous!)), lock };
  }
  const now = new Date();
  const runId = makeRunId(loaded.suite.name, now, opts.shard);
  // Collected before the folder is made: in a results store the machine class names the folder.
  const env = collectFingerprint(opts.targetVersions);
  const runDir = opts.outDir
    ? resolve(opts.outDir)
    : opts.resultsDir
      ? uniqueDir(resolve(opts.resultsDir, runMachineClass(opts.targets, env), runId))
      : uniqueDir(resolve('reports', runId));
  try {
    mkdirSync(runDir, { recursive: true });
  } catch (err) {
    throw fileError(err, runDir);
  }
  const lock = RunLock.acquire(runDir, '--out', opts.log);
  return withLock(lock, () => {
    if (existsSync(join(runDir, JOURNAL_FILE))) {
      throw new UserError(`--out ${runDir}: the folder already holds a run (${JOURNAL_FILE}); finish it with 'infergate run --resume ${runDir}', or give another --out.`);
    }
    writeAtomic(join(runDir, 'suite.yaml'), loaded.text);
    const startedAt = now.toISOString();
    const suite = { name: loaded.suite.name, file: loaded.file, description: loaded.suite.description };
    const journal = Journal.create(runDir, { runId, suite, startedAt, env, ...(opts.shard ? { shard: opts.shard } : {}) });
    return { runDir, runId, startedAt, env, journal, lock };
  });
}

/** Releases the lock when setting up the folder fails: a refused run leaves no lock behind. */
function withLock<T>(lock: RunLock, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    lock.release();
    throw err;
  }
}

/** The suite text a run directory holds (for --resume). */
export function runDirSuiteText(runDir: string): string {
  const file = join(runDir, 'suite.yaml');
  if (!existsSync(file)) throw new UserError(`--resume ${runDir}: no suite.yaml there; give the run directory of an earlier 'infergate run'.`);
  return readFileSync(file, 'utf8');
}

/** The suite of a run directory, read as it was run; relative paths still resolve against the original file. */
export function resumedSuite(runDir: string): LoadedSuite {
  const { header } = readJournal(runDir);
  return parseSuite(runDirSuiteText(runDir), header.suite.file, checkSuite);
}
