/**
 * The preprocessed-input cache as a user meets it: a suite run fills it and says so in
 * results.json and report.md, the next run hits it; `infergate cache ls|prune --json` list and
 * trim it (least recently used first, parsed with their schemas); dataset.cache: false leaves it
 * alone; a full disk while filling turns the cache off with a warning and never fails the run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { test } from 'uvu';
import { z } from 'zod';
import { COMMAND_SCHEMAS } from '../../harness/cli/json-output.js';
import { commandSchemaPath } from '../../scripts/gen-schema.js';
import { assetTest, HAVE_SHARED, runCli, tempDir, tempFiles, testWhen, writeSuite, CAN_MOUNT, mountTmpfs } from '../helpers.js';

const dir = tempDir('infergate-input-cache-cli-');
const cache = join(dir, 'cache');
const env = { INFERGATE_CACHE: cache };
const FAST = 'measure: { warmup: { duration: 0, iterations: 1 }, minDuration: 100ms, minIterations: 3, maxDuration: 5s }\n';
const suite = (name: string, extra = '') =>
  writeSuite(dir, `${name}.yaml`, `name: ${name}\nmodels: [mobilenetv2-int8-qdq]\ntargets: [ort-cpu]\nbatch: [4]\nthreads: [1]\n${FAST}dataset:\n  images: asset:imagenet/val-100\n  labels: asset:imagenet/val.txt\n  select: { first: 8 }\n${extra}`);

type Acc = { inputCache: { status: string; bytes: number; hits: number; decoded: number; reason?: string; warnings?: string[] }; warnings?: string[]; top1: { correct: number } };
const accuracyOf = (out: string): Acc => JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')).cases[0].accuracy;

function parsed(command: 'cache-ls' | 'cache-prune', stdout: string): any {
  const doc = JSON.parse(stdout);
  const zodCheck = COMMAND_SCHEMAS[command].safeParse(doc);
  assert.ok(zodCheck.success, JSON.stringify(zodCheck.error?.issues.slice(0, 3)));
  const fileCheck = z.fromJSONSchema(JSON.parse(readFileSync(commandSchemaPath(command), 'utf8'))).safeParse(doc);
  assert.ok(fileCheck.success, JSON.stringify(fileCheck.error?.issues.slice(0, 3)));
  return doc;
}

assetTest('a run fills the cache, the next run hits it; cache ls and prune --json list and trim it', () => {
  const file = suite('fill');
  const first = runCli(['run', file, '--out', join(dir, 'run-1'), '--quiet'], { env });
  assert.is(first.code, 0, first.stderr);
  const a = accuracyOf(join(dir, 'run-1'));
  assert.is(a.inputCache.status, 'filled');
  assert.is(a.inputCache.decoded, 8);
  assert.ok(a.inputCache.bytes > 8 * 224 * 224 * 3);
  assert.match(readFileSync(join(dir, 'run-1', 'report.md'), 'utf8'), /\| filled, \d+\.\d MB \|/);
  const second = runCli(['run', file, '--out', join(dir, 'run-2'), '--quiet', '--verify'], { env });
  assert.is(second.code, 0, second.stderr);
  const b = accuracyOf(join(dir, 'run-2'));
  assert.is(b.inputCache.status, 'filled', '--verify: the index had no content hashes yet');
  const third = runCli(['run', file, '--out', join(dir, 'run-3'), '--quiet'], { env });
  const c = accuracyOf(join(dir, 'run-3'));
  assert.is(third.code, 0, third.stderr);
  assert.equal([c.inputCache.status, c.inputCache.hits, c.inputCache.decoded], ['hit', 8, 0]);
  assert.is(c.top1.correct, a.top1.correct);
  assert.equal(readFileSync(join(dir, 'run-3', 'predictions', 'case-001.jsonl'), 'utf8'), readFileSync(join(dir, 'run-1', 'predictions', 'case-001.jsonl'), 'utf8'));

  const ls = runCli(['cache', 'ls', '--json'], { env });
  assert.is(ls.code, 0, ls.stderr);
  const listed = parsed('cache-ls', ls.stdout);
  const inputs = listed.entries.filter((e: { kind: string }) => e.kind === 'inputs');
  assert.is(inputs.length, 1);
  assert.is(inputs[0].bytes, c.inputCache.bytes);
  assert.match(inputs[0].description, /8 images of .*val-100: RGB, resize shorter side to 256/);
  assert.match(runCli(['cache', 'ls'], { env }).stdout, /inputs\s+[0-9a-f]{32}\s+8 images/);

  const dry = parsed('cache-prune', runCli(['cache', 'prune', '--max-size', '0', '--dry-run', '--json'], { env }).stdout);
  assert.ok(dry.removed.length >= 1);
  assert.is(parsed('cache-ls', runCli(['cache', 'ls', '--json'], { env }).stdout).entries.length, listed.entries.length, 'a dry run removes nothing');
  const pruned = parsed('cache-prune', runCli(['cache', 'prune', '--max-size', '0', '--json'], { env }).stdout);
  assert.is(pruned.bytesAfter, 0);
  assert.is(parsed('cache-ls', runCli(['cache', 'ls', '--json'], { env }).stdout).entries.length, 0);
  const bad = runCli(['cache', 'prune', '--max-size', 'lots'], { env });
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /--max-size lots: expected a size/);
});

assetTest('dataset.cache: false reads and writes nothing', () => {
  const off = join(dir, 'off-cache');
  const r = runCli(['run', suite('off', '  cache: false\n'), '--out', join(dir, 'run-off'), '--quiet'], { env: { INFERGATE_CACHE: off } });
  assert.is(r.code, 0, r.stderr);
  const a = accuracyOf(join(dir, 'run-off'));
  assert.equal([a.inputCache.status, a.inputCache.reason, a.inputCache.bytes], ['miss', 'dataset.cache: false', 0]);
  assert.not.ok(existsSync(join(off, 'inputs')));
});

const mountTest = testWhen(CAN_MOUNT && HAVE_SHARED, 'mounting a small tmpfs needs root (CI runs as root) and ../shared/assets');

mountTest('a full disk while filling: the cache is off for the run with a warning; the run passes; no temp file survives', () => {
  const full = join(dir, 'full');
  // The model comes from ../shared/assets; a few of the 8 images (150 KB each) fit, then ENOSPC.
  assert.ok(mountTmpfs(full, 'size=512k'));
  try {
    const r = runCli(['run', suite('full'), '--out', join(dir, 'run-full'), '--quiet'], { env: { INFERGATE_CACHE: full } });
    assert.is(r.code, 0, r.stderr);
    const a = accuracyOf(join(dir, 'run-full'));
    assert.is(a.inputCache.status, 'miss');
    assert.match(a.inputCache.warnings!.join('\n'), /could not write .*full\/inputs\/[0-9a-f]+\.pic \(ENOSPC\); the cache is off for this run/);
    assert.ok(a.warnings!.some((w) => /ENOSPC/.test(w)), 'in the accuracy warnings every report shows');
    assert.is(a.inputCache.decoded, 8);
    assert.equal(tempFiles(full), []);
  } finally {
    spawnSync('umount', [full]);
  }
});

test.run();
