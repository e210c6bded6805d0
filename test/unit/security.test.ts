/** Security basics: suites cannot run code, nothing reaches a shell, report text is escaped. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UserError } from '../../harness/errors.js';
import { renderHtml } from '../../harness/report/html.js';
import { renderJunit } from '../../harness/report/junit.js';
import { renderMarkdown } from '../../harness/report/markdown.js';
import type { RunResults } from '../../harness/core/index.js';
import { renderSummary } from '../../harness/report/summary.js';
import { parseSuite } from '../../harness/suite/load.js';
import { ROOT } from '../helpers.js';

const EVIL = '<script>alert(1)</script> | **bold** [x](javascript:alert(1)) & "q" \'s\' `tick`';

function evilResults(): RunResults {
  return {
    schemaVersion: 1,
    runId: 'run-1',
    suite: { name: 'evil', file: 'evil.yaml', description: EVIL },
    startedAt: '2026-11-22T00:00:00.000Z',
    finishedAt: '2026-11-22T00:00:01.000Z',
    env: { host: 'h', os: { platform: 'linux', release: '6', arch: 'x64' }, cpu: { model: EVIL, logicalCores: 2 }, memoryGiB: 1, node: '20', infergate: { version: '0' }, runtimes: {}, targets: {}, machineClass: 'c' },
    definitions: { percentile: 'p', throughput: 't', latencyUnit: 'ms' },
    cases: [
      {
        id: 'm/ort-cpu/force_float32/b1/t1',
        key: { model: 'm', target: 'ort-cpu', precision: 'force_float32', batch: 1, threads: 1 },
        status: 'failed',
        simulated: false,
        weights: 'real',
        model: { ref: 'm' },
        target: { id: 'ort-cpu', backend: 'ort', device: 'cpu' },
        error: { kind: 'infrastructure', message: `tool said: ${EVIL}` },
        notes: [EVIL],
      },
    ],
    summary: { total: 1, ok: 0, failed: 1, unavailable: 0, skipped: 0, invalid: 0 },
  };
}

test('suite and tool text is escaped in Markdown, HTML and JUnit', async () => {
  const r = evilResults();
  const html = await renderHtml(r);
  assert.not.match(html, /<script>/);
  assert.match(html, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/);
  const md = renderMarkdown(r) + renderSummary(r);
  assert.not.match(md, /<script>/);
  // The brackets are escaped, so no link forms (parentheses need no escape of their own).
  assert.not.match(md, /(?<!\\)\]\(javascript:/);
  assert.match(md, /\\\[x\\\]\(javascript:/);
  assert.match(md, /\\<script\\>/);
  const xml = renderJunit(r);
  assert.not.match(xml, /<script>/);
  assert.match(xml, /&lt;script&gt;/);
  assert.match(xml, /&quot;q&quot; &apos;s&apos;/);
});

test('YAML cannot run code or blow up: custom tags refused, alias bombs refused', () => {
  assert.throws(() => parseSuite('name: x\nmodels: [!!js/function "function(){}"]\ntargets: [ort-cpu]\n', 'x.yaml'), (e: Error) => e instanceof UserError);
  const bomb = ['a: &a [x, x, x, x, x, x, x, x, x]'];
  for (let i = 1; i < 10; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
  const t0 = Date.now();
  assert.throws(() => parseSuite(`${bomb.join('\n')}\nname: x\nmodels: [m]\ntargets: [ort-cpu]\n`, 'bomb.yaml'), (e: Error) => e instanceof UserError);
  assert.ok(Date.now() - t0 < 5000);
});

test('no shell, no eval anywhere in the harness: external tools get argument arrays', () => {
  const offenders: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (p.endsWith('.ts')) {
        const text = readFileSync(p, 'utf8');
        for (const [re, what] of [
          [/import\s*\{[^}]*\b(exec|execSync)\b[^}]*\}\s*from\s*'(node:)?child_process'/, 'exec or execSync (runs a shell)'],
          [/shell:\s*true/, 'shell: true'],
          [/\beval\s*\(|new Function\s*\(/, 'eval'],
        ] as const) {
          if (re.test(text)) offenders.push(`${p}: ${what}`);
        }
      }
    }
  };
  walk(join(ROOT, 'harness'));
  assert.equal(offenders, []);
});

test.run();
