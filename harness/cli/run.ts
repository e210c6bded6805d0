/** `infergate run`: a suite (or --resume of a run folder), optionally gated; the table on stdout, progress on stderr. */
import { relative, resolve } from 'node:path';
import { gateOptionsFromSuite, suiteBaselinePath } from '../baseline/gate.js';
import { loadBaselines } from '../baseline/schema.js';
import { EXIT, UserError } from '../errors.js';
import { gateOptionsFromFlags } from './gate-options.js';
import { exportRequests, parseExports } from './exports.js';
import { appendStepSummary, displayPath, printJson } from './output.js';
import { liveProgress } from '../report/progress.js';
import { terminalExporter } from '../report/terminal.js';
import { resumedSuite } from '../run/run-folder.js';
import { runSuite, type RunOptions } from '../run/run-suite.js';
import { checkSuite } from '../suite/expand.js';
import { loadSuiteFile } from '../suite/load.js';
import { parseShard } from '../suite/shard.js';
import { checkEnvironment, checkWritableFolder, storeFolder } from './checks.js';
import { defaultSuitePath } from './paths.js';

export interface RunCommandOptions {
  out?: string;
  json?: boolean;
  allowUnavailable?: boolean;
  quiet?: boolean;
  gate?: boolean;
  baseline?: string;
  threshold?: string[];
  alpha?: string;
  failOn?: string;
  confirm?: string;
  resume?: string;
  isolate?: boolean;
  export?: string[];
  shard?: string;
  resultsDir?: string;
  verify?: boolean;
}

export async function runCommand(suitePath: string | undefined, opts: RunCommandOptions): Promise<number> {
  const exports = parseExports(opts.export);
  // The case processes inherit it; accuracy/index.ts reads it beside dataset.cache: verify.
  if (opts.verify) process.env.INFERGATE_VERIFY_INPUTS = '1';
  if (opts.resume && suitePath) throw new UserError(`--resume ${opts.resume}: the run directory holds its suite (suite.yaml); give no suite file with --resume.`);
  checkEnvironment();
  if (opts.resume && opts.shard) throw new UserError(`--resume ${opts.resume}: the run directory's journal holds its shard; give no --shard with --resume.`);
  const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
  if (opts.out) checkWritableFolder('--out', opts.out, "it is the run folder for the results and reports");
  // --out wins over a results store: a run folder named outright is where the user wants it.
  const resultsDir = opts.out ? undefined : storeFolder(opts.resultsDir);
  if (opts.resume) checkWritableFolder('--resume', opts.resume, 'resuming writes the rest of the run there');
  const loaded = opts.resume ? resumedSuite(opts.resume) : loadSuiteFile(suitePath ?? defaultSuitePath(), checkSuite);
  // Progress and logs go to stderr (stdout holds the table or the --json document); --quiet: none.
  const live = opts.quiet ? undefined : liveProgress(process.stderr);
  const log = live?.log;
  if (!suitePath && !opts.resume) log?.(`infergate: no suite given; running the bundled quickstart (${relative(process.cwd(), loaded.file) || loaded.file})`);
  const gateFlagsWithoutGate = opts.baseline || opts.threshold?.length || opts.alpha || opts.failOn || opts.confirm;
  if (gateFlagsWithoutGate && !opts.gate) throw new UserError('--baseline, --threshold, --alpha, --fail-on and --confirm take effect with --gate; add --gate to compare with baselines.');
  const confirm = opts.confirm === undefined ? (loaded.suite.gate?.confirm ?? 2) : Number(opts.confirm);
  if (!Number.isInteger(confirm) || confirm < 0 || confirm > 10) throw new UserError(`--confirm ${opts.confirm}: expected a whole number of re-measurements from 0 to 10.`);
  let gate: RunOptions['gate'];
  if (opts.gate) {
    const baselinePath = opts.baseline ? resolve(opts.baseline) : suiteBaselinePath(loaded.suite.gate, loaded.file);
    loadBaselines(baselinePath); // a bad baseline is found before the run, not after it
    gate = { baselinePath, options: gateOptionsFromFlags(opts, gateOptionsFromSuite(loaded.suite.gate)), confirm };
  }

  // First Ctrl-C / SIGTERM: finish the current call, write what we have, exit 130/143.
  const controller = new AbortController();
  const onSignal = (sig: 'SIGINT' | 'SIGTERM') => {
    if (controller.signal.aborted) process.exit(sig === 'SIGINT' ? EXIT.sigint : EXIT.sigterm);
    process.stderr.write(`\ninfergate: ${sig}: stopping after the current call and writing partial results (again to quit at once)\n`);
    controller.abort(sig);
  };
  const sigint = () => onSignal('SIGINT');
  const sigterm = () => onSignal('SIGTERM');
  process.on('SIGINT', sigint);
  process.on('SIGTERM', sigterm);
  try {
    const notice = (line: string) => process.stderr.write(line + '\n');
    const outcome = await runSuite(loaded, { notice, outDir: opts.out, resultsDir, shard, allowUnavailable: opts.allowUnavailable, log, progressStream: opts.quiet ? undefined : process.stderr, live, signal: controller.signal, gate, resumeDir: opts.resume, isolate: opts.isolate, exports: (dir) => exportRequests(exports, dir) });
    // Whatever went wrong is said on stderr too, one line a case, even with --quiet.
    for (const c of outcome.results.cases) {
      if (c.status === 'failed' && c.error) process.stderr.write(`infergate: ${c.id} failed (${c.error.kind}): ${c.error.message}\n`);
    }
    if (opts.json) printJson(outcome.results);
    else process.stdout.write(terminalExporter(process.stdout).render(outcome.results));
    const rel = relative(process.cwd(), outcome.runDir);
    const where = rel && !rel.startsWith('..') ? rel : outcome.runDir;
    process.stderr.write(`infergate: wrote ${where}/ (${outcome.files.join(', ')})${outcome.exported.length ? `; exported ${outcome.exported.map(displayPath).join(', ')}` : ''}\n`);
    if (gate) appendStepSummary(outcome.results);
    return outcome.exitCode;
  } finally {
    process.off('SIGINT', sigint);
    process.off('SIGTERM', sigterm);
  }
}
