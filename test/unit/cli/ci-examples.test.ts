/**
 * The CI examples are runnable: both files parse, and every `infergate` command and flag they use
 * exists in the program (asked of commander itself), apart from flags another issue is adding.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parse } from 'yaml';
import type { Command } from 'commander';
import { buildProgram } from '../../../harness/cli/main.js';
import { packageRoot } from '../../../harness/util/package-root.js';

const EXAMPLES = ['ci-examples/github-actions/nightly.yml', 'ci-examples/gitlab/.gitlab-ci.yml'];

/** Every shell script string in a parsed workflow: GitHub `run:` steps, GitLab script sections. */
function scripts(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => scripts(n, out));
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'run' && typeof v === 'string') out.push(v);
      else if (['script', 'before_script', 'after_script'].includes(k)) out.push(...[v].flat().map(String));
      else scripts(v, out);
    }
  }
  return out;
}

/** The infergate command lines of a script, as word lists (CI expressions and quotes reduced to one word). */
function infergateCommands(script: string): string[][] {
  const text = script.replace(/\$\{\{[^}]*\}\}/g, 'EXPR').replace(/\\\n/g, ' ');
  const commands: string[][] = [];
  for (const line of text.split(/\n|&&|\|\||;|\|/)) {
    const words = [...line.matchAll(/"[^"]*"|'[^']*'|\S+/g)].map((m) => m[0]);
    const at = words.findIndex((w, i) => w === 'infergate' || w.endsWith('bin/infergate.js') || (w === 'npx' && words[i + 1] === 'infergate'));
    if (at < 0) continue;
    commands.push(words.slice(words[at] === 'npx' ? at + 2 : at + 1));
  }
  return commands;
}

function check(program: Command, words: string[]): string[] {
  const problems: string[] = [];
  let cmd = program;
  let i = 0;
  const path: string[] = [];
  while (i < words.length && !words[i]!.startsWith('-')) {
    const sub = cmd.commands.find((c) => c.name() === words[i] || c.aliases().includes(words[i]!));
    if (!sub) break; // an argument, not a subcommand
    cmd = sub;
    path.push(words[i]!);
    i++;
  }
  if (!path.length) return [`'infergate ${words.join(' ')}': no such command`];
  const known = new Set(cmd.options.flatMap((o) => [o.long, o.short]).filter(Boolean) as string[]);
  for (const w of words.slice(i)) {
    if (!/^--?[a-z]/.test(w)) continue;
    const flag = w.split('=')[0]!;
    if (!known.has(flag)) problems.push(`'infergate ${path.join(' ')}' has no option ${flag}`);
  }
  return problems;
}

for (const file of EXAMPLES) {
  test(`${file}: parses, and every infergate command and flag it uses exists`, () => {
    const doc = parse(readFileSync(join(packageRoot(), file), 'utf8'));
    const commands = scripts(doc).flatMap(infergateCommands);
    const names = new Set(commands.map((c) => c[0]));
    for (const needed of ['doctor', 'run', 'merge', 'history']) assert.ok(names.has(needed), `${file} uses infergate ${needed}`);
    const run = commands.find((c) => c[0] === 'run')!;
    for (const flag of ['--gate', '--export', '--shard', '--results-dir']) assert.ok(run.includes(flag), `run uses ${flag}`);
    const program = buildProgram();
    assert.equal(commands.flatMap((c) => check(program, c)), []);
  });
}

test('the checker itself catches a command or flag that does not exist', () => {
  const program = buildProgram();
  assert.equal(check(program, ['run', 'suite.yaml', '--gate', '--export', 'bmf']), []);
  assert.equal(check(program, ['baseline', 'update', 'r/', '--to', 'b.json']), []);
  assert.equal(check(program, ['run', 'x', '--shard=1/2', '--no-such-flag']), ["'infergate run' has no option --no-such-flag"]);
  assert.equal(check(program, ['merge', 'a', '--export', 'bmf']), ["'infergate merge' has no option --export"]);
  assert.equal(check(program, ['histroy', 'x']), ["'infergate histroy x': no such command"]);
  assert.equal(infergateCommands('npx infergate run EXPR \\\n  --gate && echo done | tee x'), [['run', 'EXPR', '--gate']]);
  assert.equal(infergateCommands('node bin/infergate.js history "a b" --json'), [['history', '"a b"', '--json']]);
});

test.run();
