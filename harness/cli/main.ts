/**
 * The `infergate` command line. Parses arguments, calls the pipeline, maps failures to exit codes:
 * 0 ok, 1 regression, 2 bad input or config, 3 infrastructure failure, 130/143 interrupted.
 * Messages are one paragraph, never a stack trace (INFERGATE_DEBUG=1 shows one).
 */
import { Command, CommanderError, Option } from 'commander';
import { EXIT, InfraError, UserError } from '../errors.js';
import { doctorCommand } from './doctor.js';
import { listCommand } from './list.js';
import { runCommand } from './run.js';
import { infergateVersion } from '../env/fingerprint.js';

const EXIT_CODES_HELP = `
Exit codes:
  0    every case ran (and, with a gate, nothing regressed)
  1    a regression was found by the gate
  2    bad input: suite, model file, asset, option (the message names the file and field)
  3    infrastructure failure: target unavailable, backend crashed, timeout
  130  interrupted (SIGINT); 143 terminated (SIGTERM): partial results are written`;

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('infergate')
    .description('Performance-testing harness and regression gate for image-classification inference')
    .version(infergateVersion())
    .showSuggestionAfterError(true)
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride();

  program
    .command('run')
    .description('run a suite: convert, measure latency and throughput, write results and reports')
    .argument('[suite]', 'suite YAML file (default: the bundled quickstart suite)')
    .option('-o, --out <dir>', 'run directory (default: reports/<suite>-<timestamp>)')
    .option('--json', 'print results.json to stdout instead of the table')
    .option('--allow-unavailable', 'record cases on unavailable targets as unavailable instead of exiting 3')
    .addOption(new Option('--quiet', 'no progress lines on stderr'))
    .addHelpText('after', EXIT_CODES_HELP)
    .action(async (suite: string | undefined, opts) => {
      process.exitCode = await runCommand(suite, opts);
    });

  program
    .command('doctor')
    .description('check this machine: Node, onnxruntime, native addon, assets, and each target')
    .option('--json', 'machine-readable output')
    .action(async (opts) => {
      process.exitCode = await doctorCommand(opts);
    });

  program
    .command('list')
    .description('list targets, models and bundled suites')
    .argument('[what]', 'targets | models | suites (default: all)')
    .option('--json', 'machine-readable output')
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
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    return reportFailure(err);
  }
}
