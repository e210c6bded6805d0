/**
 * The `infergate` command line. Parses arguments, calls the pipeline, maps failures to exit codes:
 * 0 ok, 1 regression, 2 bad input or config, 3 infrastructure failure, 130/143 interrupted.
 * Messages are one paragraph, never a stack trace (INFERGATE_DEBUG=1 shows one).
 */
import { Command, CommanderError, Option } from 'commander';
import { EXIT, InfraError, UserError } from '../errors.js';
import { METRIC_IDS } from '../core/index.js';
import { doctorCommand } from './doctor.js';
import { listCommand } from './list.js';
import { runCommand } from './run.js';
import { compareCommand } from './compare.js';
import { baselineUpdateCommand } from './baseline.js';
import { reproduceCommand } from './reproduce.js';
import { convertCommand } from './convert.js';
import { cacheLsCommand, cachePruneCommand, DEFAULT_MAX_SIZE } from './cache.js';
import { EXPORT_HELP } from './exports.js';
import { historyCommand } from './history.js';
import { mergeCommand } from './merge.js';
import { collect } from './gate-options.js';
import { infergateVersion } from '../env/fingerprint.js';
import { commandHelp, EXIT_BAD_INPUT, EXIT_INFRA, EXIT_OK, GATE_HELP, PROGRAM_HELP, RUN_EXITS } from './help.js';

/** The gate's flags, shared by `run --gate` and `compare`. */
function withGateFlags(cmd: Command): Command {
  return cmd
    .option('--threshold <metric=value>', 'practical threshold, e.g. qps=3% or top1=0.5% (repeatable)', collect)
    .option('--alpha <p>', 'significance level (default 0.01, or the suite\'s gate.alpha)')
    .option('--fail-on <verdicts>', 'verdicts that fail the gate, comma-separated (default regressed)');
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('infergate')
    .description('Performance-testing harness and regression gate for image-classification inference')
    .version(infergateVersion())
    .showSuggestionAfterError(true)
    .addHelpText('after', PROGRAM_HELP)
    .exitOverride();

  const run = program
    .command('run')
    .description('run a suite: convert, measure latency and throughput, write results and reports')
    .argument('[suite]', 'suite YAML file (default: the bundled quickstart suite)')
    .option('-o, --out <dir>', 'run directory (default: reports/<suite>-<timestamp>, or under the results store)')
    .option('--results-dir <dir>', 'results store: the run goes to <dir>/<machine class>/<run id>/ (default: $INFERGATE_RESULTS; --out wins)')
    .option('--shard <k/n>', 'run only the k-th of n parts of the suite (round-robin over its cases), for a CI matrix of same-kind boards')
    .option('--json', 'print the results object (schema/run.schema.json) to stdout instead of the table; progress stays on stderr')
    .option('--export <format[=path]>', EXPORT_HELP, collect)
    .option('--allow-unavailable', 'record cases on unavailable targets as unavailable instead of exiting 3')
    .option('--resume <run-dir>', 'continue an interrupted run: run only the cases its journal does not hold')
    .option('--no-isolate', 'run cases in this process instead of one child process each (debugging; a crash then ends the run)')
    .option('--gate', 'compare with baselines after the run; exit 1 on a regression')
    .option('--baseline <path>', 'baseline file or folder for --gate (default: the suite\'s gate.baseline, else baselines/)')
    .option('--verify', 'identify dataset images by content (sha256) for the preprocessed-input cache, not by size and mtime (as dataset.cache: verify)');
  withGateFlags(run)
    .option('--confirm <n>', 'with --gate: re-measure a case that looks slower up to n times; regressed when most measurements are (default 2: 2 of 3)')
    .addOption(new Option('--quiet', 'no progress on stderr'))
    .addHelpText('after', GATE_HELP + '\n' + commandHelp(RUN_EXITS, ['infergate run', 'infergate run suites/sim-devices.yaml --out reports/sim --export bmf=results.bmf.json', 'infergate run nightly.yaml --gate --baseline baselines/measured/nightly.json --json > results.json']))
    .action(async (suite: string | undefined, opts) => {
      process.exitCode = await runCommand(suite, opts);
    });

  program
    .command('convert')
    .description('convert a suite\'s models for their targets into the artifact cache: onnxruntime fp32/fp16/int8 QDQ for ort-cpu (runs here), MagicMind, hb_mapper; without a vendor SDK its build files are kept and the command exits 3')
    .argument('[suite]', 'suite YAML file (default: the bundled quickstart suite)')
    .option('--generate-only', 'vendor targets: write the build files (and calibration tensors) without running the vendor tools; exit 0 (ort-cpu artifacts are always built)')
    .option('--force', 'rebuild even when the cache has the artifact')
    .option('--json', 'print what was built per case (schema/convert.schema.json) instead of lines')
    .addHelpText('after', commandHelp([['0', 'every artifact built (or, with --generate-only, its build files written)'], EXIT_BAD_INPUT, ['3', 'a vendor toolchain is missing or failed (its build files are kept in the cache)']], ['infergate convert suites/mobilenetv2-requant.yaml', 'infergate convert suites/magicmind-resnet50-mlu370.yaml --generate-only']))
    .action(async (suite: string | undefined, opts) => {
      process.exitCode = await convertCommand(suite, opts);
    });

  const compare = program
    .command('compare')
    .description('compare a run\'s results with baselines: a verdict per case and metric, the environment diff, exit 1 on a regression')
    .argument('<results>', 'results.json, or the run directory holding it')
    .option('-b, --baseline <path>', 'baseline file or folder (default: baselines/)');
  withGateFlags(compare)
    .option('-o, --out <dir>', 'where comparison.{json,csv,md}, summary.md and junit.xml go (default: the run directory)')
    .option('--json', 'print the verdicts (schema/compare.schema.json) instead of the table')
    .option('--export <format[=path]>', EXPORT_HELP.replace('results.bmf.json', 'comparison.bmf.json'), collect)
    .addHelpText('after', GATE_HELP + '\n' + commandHelp([['0', 'no verdict failed the gate (improvements pass)'], ['1', 'a regression (or another verdict named by --fail-on)'], EXIT_BAD_INPUT], ['infergate compare reports/nightly-20260101-0300', 'infergate compare results.json --baseline baselines/published --threshold qps=5% --fail-on regressed,invalid', 'infergate compare reports/nightly-20260101-0300 --json --export junit=junit.xml']))
    .action(async (results: string, opts) => {
      process.exitCode = await compareCommand(results, opts);
    });

  const baseline = program.command('baseline').description('manage measured baselines');
  baseline
    .command('update')
    .description('write or update a measured baseline from one or more runs, pooled (refuses simulated results in a hardware baseline, invalid or noisy measurements, failed cases)')
    .argument('[results...]', 'results.json files or the run directories holding them; several runs of a suite are pooled (blocks of every run, run-to-run spread recorded)')
    .option('--from-history <dir>', 'pool the newest runs of a results store (INFERGATE_RESULTS) that passed validity, instead of naming runs')
    .option('--last <n>', 'with --from-history: how many runs to pool (default 5)')
    .option('--suite <name>', 'with --from-history: the suite whose runs to pool (needed when the store holds several)')
    .option('--to <file>', 'baseline file (default: baselines/measured/<suite>.json, or <suite>.simulated.json)')
    .option('--metrics <list>', `metrics to record, comma-separated (default: ${METRIC_IDS.join(',')})`)
    .option('--accept-noisy', 'take measurements its validity checks flag (high CV, drift, many outliers, few samples, cut at maxDuration) instead of refusing them')
    .option('--json', 'print what was written (schema/baseline-update.schema.json)')
    .addHelpText('after', commandHelp([['0', 'the baseline was written (refused cases are listed on stderr)'], EXIT_BAD_INPUT], ['infergate baseline update reports/nightly-20260101-0300', 'infergate baseline update reports/quiet-1 reports/quiet-2 reports/quiet-3   # pooled from three runs', 'infergate baseline update results.json --to baselines/measured/lab.json --metrics qps,latency.mean']))
    .action(async (results: string[], opts) => {
      process.exitCode = await baselineUpdateCommand(results, opts);
    });

  program
    .command('reproduce')
    .description('print a published table with a measured column and the ratio (tables: baselines/published/*.json)')
    .argument('<table>', 'table name, e.g. magicmind-resnet50-mlu370 or rdk-x5-resnet18')
    .option('--results <path>', 'results.json, a run directory or a reports folder (repeatable; default: the newest under reports/)', collect)
    .option('--reports <dir>', 'reports folder to search (default: reports)')
    .option('--run', 'run the table\'s suite first')
    .option('--simulated', 'with --run: run the table\'s simulated-device suite instead of the hardware one')
    .option('--markdown', 'print Markdown instead of text')
    .option('-o, --out <file>', 'also write the table to a file (.md for Markdown)')
    .option('--json', 'print the table as JSON (schema/reproduce.schema.json)')
    .option('--quiet', 'no progress on stderr')
    .addHelpText('after', commandHelp([EXIT_OK, EXIT_BAD_INPUT, ['3', 'with --run: the suite could not run (see run --help)']], ['infergate reproduce magicmind-resnet50-mlu370', 'infergate reproduce rdk-x5-resnet18 --run --simulated', 'infergate reproduce magicmind-resnet50-mlu370 --markdown --out table.md']))
    .action(async (table: string, opts) => {
      process.exitCode = await reproduceCommand(table, opts);
    });

  const cache = program.command('cache').description('list and trim the artifact cache and the preprocessed-input cache ($INFERGATE_CACHE or ~/.cache/infergate)');
  cache
    .command('ls')
    .description('list cache entries (converted artifacts, preprocessed inputs) with size and last use, least recently used first')
    .option('--json', 'machine-readable output (schema/cache-ls.schema.json)')
    .addHelpText('after', commandHelp([EXIT_OK], ['infergate cache ls', 'infergate cache ls --json']))
    .action(async (opts) => {
      process.exitCode = await cacheLsCommand(opts);
    });
  cache
    .command('prune')
    .description('remove the least recently used entries until the cache fits --max-size, and temporary files left by processes that died')
    .option('--max-size <size>', `largest total to keep, e.g. 20G, 500M, 0 (powers of 1024; default ${DEFAULT_MAX_SIZE})`)
    .option('--dry-run', 'say what would be removed, remove nothing')
    .option('--json', 'machine-readable output (schema/cache-prune.schema.json)')
    .addHelpText('after', commandHelp([EXIT_OK, ['2', 'a --max-size that is not a size']], ['infergate cache prune', 'infergate cache prune --max-size 5G --dry-run']))
    .action(async (opts) => {
      process.exitCode = await cachePruneCommand(opts);
    });

  program
    .command('history')
    .description('per case and metric, the series across many runs (oldest first, by machine class) and the steps in it: the first run after each step and what changed in its environment')
    .argument('<dirs...>', 'run folders, results.json files, or results store folders (<machine class>/<run id>/) to search')
    .option('--case <pattern>', "case ids to show: '*' matches anything (resnet18-v1-7/*/t4), else any id containing the text")
    .option('--metric <list>', `metrics, comma-separated: ${METRIC_IDS.join(', ')} (default qps)`)
    .option('--since <age>', 'only runs started within this age (60d, 12h, 2w) or since a date (2026-01-31)')
    .option('--threshold <metric=value>', 'practical threshold a step must exceed, e.g. qps=5% (repeatable; default: the gate\'s)', collect)
    .option('--alpha <p>', 'significance level of the Mann-Whitney test a step must pass (default 0.01, as the gate)')
    .option('--json', 'print the series and steps as JSON (schema/history.schema.json) instead of the table')
    .option('--html <file>', 'also write a page with one trend chart per case, steps marked and labelled with the run')
    .addHelpText(
      'after',
      `
A step is a change of the per-run median beyond the metric's practical threshold (qps and mean
latency 3%, p99 25%, top-1/top-5 1 point) that a Mann-Whitney U test over the block values of the
runs before vs after finds significant at alpha: the gate's own rule. A step needs two runs on
each side: one odd night is not a step.

` + commandHelp([EXIT_OK, EXIT_BAD_INPUT], ['infergate history /srv/lab-results --since 60d', "infergate history /srv/lab-results/rdk-x5 --case 'resnet18-v1-7/*' --metric qps,latency.mean --html history.html", 'infergate history reports/ --json > history.json']),
    )
    .action(async (dirs: string[], opts) => {
      process.exitCode = await historyCommand(dirs, opts);
    });

  program
    .command('merge')
    .description('merge runs of several machines (the same suite on several boards, or the shards of one suite) into one results.json and the usual reports, keeping each case\'s machine class')
    .argument('<runs...>', 'run folders or results.json files')
    .requiredOption('-o, --out <dir>', 'folder for the merged results.json and reports (not one of the runs)')
    .option('--json', 'print the merged results.json to stdout instead of the table')
    .addHelpText(
      'after',
      `
Files of different schema versions are refused. A case met twice on the same machine class keeps
the newest run's figures, with a note; the same case on two machine classes is kept twice.

` + commandHelp([EXIT_OK, EXIT_BAD_INPUT, EXIT_INFRA], ['infergate merge runs/mlu370-s4/nightly-20261201-020000 runs/rdk-x5/nightly-20261201-020000 --out merged/', 'infergate merge shard-1/ shard-2/ shard-3/ --out nightly-all/']),
    )
    .action(async (runs: string[], opts) => {
      process.exitCode = await mergeCommand(runs, opts);
    });

  program
    .command('doctor')
    .description('check this machine: Node, onnxruntime, native addon, assets, and each target')
    .option('--json', 'machine-readable output with an overall status (schema/doctor.schema.json)')
    .addHelpText('after', commandHelp([['0', 'Node and onnxruntime work (optional checks may still say no)'], ['3', 'a required check failed']], ['infergate doctor', 'infergate doctor --json']))
    .action(async (opts) => {
      process.exitCode = await doctorCommand(opts);
    });

  program
    .command('list')
    .description('list targets, models and bundled suites')
    .argument('[what]', 'targets | models | suites (default: all)')
    .option('--json', 'machine-readable output (schema/list.schema.json)')
    .addHelpText('after', commandHelp([EXIT_OK, ['2', 'an unknown section']], ['infergate list targets', 'infergate list --json']))
    .action(async (what: string | undefined, opts) => {
      process.exitCode = await listCommand(what, opts);
    });

  return program;
}

export function reportFailure(err: unknown): number {
  const debug = process.env.INFERGATE_DEBUG === '1';
  if (err instanceof UserError || err instanceof InfraError) {
    process.stderr.write(`infergate: ${err.message}\n`);
    if (debug) process.stderr.write(`${err.stack}\n`);
    return err.exitCode;
  }
  if (err instanceof CommanderError) {
    if (err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help') return EXIT.ok;
    return EXIT.badInput; // commander already printed the message
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`infergate: internal error: ${message}. Please report it with the command you ran (INFERGATE_DEBUG=1 shows the stack).\n`);
  if (debug && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  return EXIT.infrastructure;
}

export async function main(argv: string[] = process.argv): Promise<number> {
  // A rejection nobody awaited (in-process cases with --no-isolate) still ends in one paragraph, never a stack.
  process.on('unhandledRejection', (err) => process.exit(reportFailure(err)));
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    return reportFailure(err);
  }
}
