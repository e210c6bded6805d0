/** The help text the commands share: exit-code lines, each command's exit codes and examples, the gate's rules. */
export type ExitLine = [code: string, meaning: string];
export const EXIT_OK: ExitLine = ['0', 'success'];
export const EXIT_BAD_INPUT: ExitLine = ['2', 'bad input: a file or option (the message names it)'];
export const EXIT_INFRA: ExitLine = ['3', 'infrastructure failure: target unavailable, backend crashed, timeout'];

/** A command's own exit codes and examples, below its options. */
export function commandHelp(exits: readonly ExitLine[], examples: readonly string[]): string {
  return ['', 'Exit codes:', ...exits.map(([code, meaning]) => `  ${code.padEnd(8)} ${meaning}`), '', 'Examples:', ...examples.map((x) => `  $ ${x}`)].join('\n');
}

export const RUN_EXITS: ExitLine[] = [
  ['0', 'every case ran and, with --gate, no verdict failed it (improvements pass)'],
  ['1', 'with --gate: a regression (or another verdict named by --fail-on)'],
  ['2', 'bad input: suite, model file, asset, option (the message names the file and field)'],
  EXIT_INFRA,
  ['130/143', 'interrupted (SIGINT / SIGTERM): partial results are written'],
];

export const PROGRAM_HELP = `
Exit codes (each command's --help lists its own):
  0    success; with a gate, no verdict failed it (improvements pass)
  1    the gate found a regression (or another verdict named by --fail-on)
  2    bad input: suite, model file, asset, option (the message names the file and field)
  3    infrastructure failure: target unavailable, backend crashed, timeout
  130  interrupted (SIGINT); 143 terminated (SIGTERM): partial results are written
  When several apply: 130/143, then 2, then 3, then 1.

Examples:
  $ infergate run                      # the bundled quickstart
  $ infergate run suites/sim-devices.yaml --gate --export bmf
  $ infergate compare reports/quickstart-20260101-120000 --json`;

export const GATE_HELP = `
Verdicts, per case and metric: pass, regressed, improved, inconclusive, invalid, missing.
A regression needs BOTH a change beyond the practical threshold (default: qps, mean latency and
mean device time 3%, p99s 25%, top-1/top-5 1 point; and beyond a pooled baseline's run-to-run
spread) AND significance where both sides have samples (Mann-Whitney U over per-block values;
an exact binomial test on the calls beyond the baseline's p99 and p99.9; exact McNemar over
per-image predictions) at alpha 0.01. A case's verdict is its worst metric's. A simulated device
is judged on its device time first. Against a
published figure (no samples) the verdict is threshold-only and says so. Simulated results are
never compared with hardware baselines; invalid measurements and synthetic weights get 'invalid'.
With run --gate, a case whose speed looks regressed (or is inconclusive, slower) is measured again
(--confirm, default 2) and is regressed only when most of its measurements are (2 of 3): shared
machines have slow spells.`;
