/**
 * The benchmarks' command lines: --help prints the options and examples instead of starting a
 * long run, and a typo or a value that is not a number is refused (exit 2), never replaced by
 * the default.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Command } from 'commander';
import { collect } from '../../../harness/cli/gate-options.js';
import { count, number, parseBenchArgs, positiveSeconds } from '../../../scripts/bench-args.js';

const define = (c: Command) => c
  .option('--pairs <n>', 'comparisons', count(), 20)
  .option('--confirm <n>', 'confirmations', count(0))
  .option('--seconds <s>', 'run length', positiveSeconds)
  .option('--telemetry <0|1>', 'a number', number)
  .option('--threshold <metric=value>', 'repeatable', collect)
  .option('--skip-accuracy', 'speed only');
const parse = (argv: string[]) => parseBenchArgs<Record<string, unknown>>('bench:demo', 'a demo bench', define, ['', '--pairs 2'], argv);

test('defaults, numbers, repeatable values and switches come back as options', () => {
  assert.equal(parse([]), { options: { pairs: 20 } });
  assert.equal(parse(['--pairs', '2', '--seconds', '0.5', '--threshold', 'qps=3%', '--threshold', 'top1=1%', '--skip-accuracy']), {
    options: { pairs: 2, seconds: 0.5, threshold: ['qps=3%', 'top1=1%'], skipAccuracy: true },
  });
});

test('--help gives the options and the examples with exit 0, and runs nothing', () => {
  const r = parse(['--help']);
  assert.ok('exitCode' in r && r.exitCode === 0);
  if (!('text' in r)) return;
  assert.match(r.text, /Usage: bench:demo/);
  assert.match(r.text, /--pairs <n>\s+comparisons \(default: 20\)/);
  assert.match(r.text, /Examples:\n {2}npm run bench:demo\n {2}npm run bench:demo -- --pairs 2\n$/);
});

test('a value that is not a number is refused with exit 2, naming the flag', () => {
  for (const bad of ['abc', '', '1e999']) {
    const r = parse(['--pairs', bad]);
    assert.ok('exitCode' in r, bad);
    if (!('exitCode' in r)) continue;
    assert.is(r.exitCode, 2);
    assert.match(r.text, /^bench:demo: option '--pairs <n>' argument '.*' is invalid\. expected a number/);
    assert.match(r.text, /See `npm run bench:demo -- --help` for its options\.\n$/);
  }
});

test('counts are whole numbers from their minimum, and seconds are above 0', () => {
  assert.equal(parse(['--confirm', '0', '--telemetry', '-1']), { options: { pairs: 20, confirm: 0, telemetry: -1 } });
  for (const [flag, bad, rule] of [['--pairs', '0', 'at least 1'], ['--pairs', '2.5', 'at least 1'], ['--confirm', '-1', 'at least 0'], ['--seconds', '0', 'above 0']]) {
    const r = parse([flag!, bad!]);
    assert.ok('exitCode' in r && r.exitCode === 2, `${flag} ${bad}`);
    if ('text' in r) assert.match(r.text, rule!);
  }
});

test('an unknown flag or a stray argument is refused with exit 2, with a suggestion', () => {
  const typo = parse(['--pair', '5']);
  assert.ok('exitCode' in typo && typo.exitCode === 2);
  if ('text' in typo) {
    assert.match(typo.text, /unknown option '--pair'/);
    assert.match(typo.text, /Did you mean --pairs\?/);
    assert.not.match(typo.text.trimEnd(), /\n/); // one paragraph
  }
  const stray = parse(['5']);
  assert.ok('exitCode' in stray && stray.exitCode === 2);
});

test.run();
