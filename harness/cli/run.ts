import { relative } from 'node:path';
import { EXIT } from '../errors.js';
import { terminalExporter } from '../report/terminal.js';
import { runSuite } from '../run/run-suite.js';
import { checkSuite } from '../suite/expand.js';
import { loadSuiteFile } from '../suite/load.js';
import { defaultSuitePath } from './paths.js';

export interface RunCommandOptions {
  out?: string;
  json?: boolean;
  allowUnavailable?: boolean;
  quiet?: boolean;
}

export async function runCommand(suitePath: string | undefined, opts: RunCommandOptions): Promise<number> {
  const loaded = loadSuiteFile(suitePath ?? defaultSuitePath(), checkSuite);
  const log = opts.quiet ? undefined : (line: string) => process.stderr.write(line + '\n');
  if (!suitePath) log?.(`infergate: no suite given; running the bundled quickstart (${relative(process.cwd(), loaded.file) || loaded.file})`);

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
    const outcome = await runSuite(loaded, { outDir: opts.out, allowUnavailable: opts.allowUnavailable, log, progressStream: opts.quiet ? undefined : process.stderr, signal: controller.signal });
    if (opts.json) process.stdout.write(JSON.stringify(outcome.results, null, 2) + '\n');
    else process.stdout.write(terminalExporter(process.stdout).render(outcome.results));
    const rel = relative(process.cwd(), outcome.runDir);
    const where = rel && !rel.startsWith('..') ? rel : outcome.runDir;
    process.stderr.write(`infergate: wrote ${where}/ (${outcome.files.join(', ')})\n`);
    return outcome.exitCode;
  } finally {
    process.off('SIGINT', sigint);
    process.off('SIGTERM', sigterm);
  }
}
