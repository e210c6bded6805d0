/**
 * The benchmarks' command lines, through commander like the CLI: `--help` prints the options and
 * examples instead of starting an hour-long run, and an unknown flag or a value that is not a
 * number ends with one paragraph and exit 2 instead of silently running the defaults.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';

/** commander's parser for a finite number, e.g. `.option('--seconds <s>', '...', number, 5)`. */
export function number(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got '${value}'.`);
  return n;
}

/** commander's parser for a count: a whole number, at least `min`. */
export function count(min = 1): (value: string) => number {
  return (value) => {
    const n = number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number of at least ${min}, got '${value}'.`);
    return n;
  };
}

/** commander's parser for a length of time in seconds: a number above 0. */
export function positiveSeconds(value: string): number {
  const n = number(value);
  if (n <= 0) throw new InvalidArgumentError(`expected seconds above 0, got '${value}'.`);
  return n;
}

/** What parsing gave: the options, or the text to print and the exit code (0 after --help, 2). */
export type BenchParse<T> = { options: T } | { exitCode: 0 | 2; text: string };

/**
 * Parses argv for the benchmark `name` (e.g. bench:gate). `define` adds its options; `examples`
 * are the argument lists to show after `npm run NAME --`.
 */
export function parseBenchArgs<T extends object>(
  name: string,
  summary: string,
  define: (cmd: Command) => Command,
  examples: readonly string[],
  argv: readonly string[],
): BenchParse<T> {
  let help = '';
  const cmd = define(new Command(name).description(summary))
    .helpOption('-h, --help', 'show this help')
    .allowExcessArguments(false)
    .exitOverride()
    .configureOutput({ writeOut: (text) => (help += text), writeErr: () => {}, outputError: () => {} });
  const usage = examples.map((e) => `  npm run ${name}${e ? ` -- ${e}` : ''}`);
  if (usage.length > 0) cmd.addHelpText('after', `\nExamples:\n${usage.join('\n')}`);
  try {
    cmd.parse([...argv], { from: 'user' });
    return { options: cmd.opts() as T };
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    if (err.exitCode === 0) return { exitCode: 0, text: `${help.trimEnd()}\n` };
    const message = err.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').replace(/([^.)])$/, '$1.');
    return { exitCode: 2, text: `${name}: ${message} See \`npm run ${name} -- --help\` for its options.\n` };
  }
}

/** parseBenchArgs on this process's arguments: prints and exits after --help (0) or a bad flag (2). */
export function benchArgs<T extends object>(name: string, summary: string, define: (cmd: Command) => Command, examples: readonly string[] = []): T {
  const parsed = parseBenchArgs<T>(name, summary, define, examples, process.argv.slice(2));
  if ('options' in parsed) return parsed.options;
  (parsed.exitCode === 0 ? process.stdout : process.stderr).write(parsed.text);
  process.exit(parsed.exitCode);
}
