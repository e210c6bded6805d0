/**
 * Nightly runs that cannot be corrupted: a torn journal line, two runs into one folder, the run
 * killed with SIGKILL or stopped with SIGTERM, a read-only or full output folder, a hung device,
 * unreadable images. Every check asserts the exit code, the message, no stack trace, and that
 * no temp or lock file is left behind.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { test } from 'uvu';
import { loadNative } from '../../harness/targets/native.js';
import { ROOT, runCli, tempDir, tempFiles, testWhen, writeSuite, writeTinyModel, startCli, CAN_MOUNT, mountTmpfs } from '../helpers.js';

const simTest = testWhen(!!loadNative().addon, 'the native addon (sim backend) did not build');
const dir = tempDir('infergate-robust-');
const FX = join(ROOT, 'test', 'fixtures', 'bad-input');

const suite = (name: string, threads: number[], minDuration = '300ms') => `name: ${name}
models: [resnet18-v1-7]
targets: [sim-rdk-x5]
precisions: [int8]
threads: [${threads.join(', ')}]
measure: { warmup: { duration: 10ms, iterations: 2 }, minDuration: ${minDuration}, minIterations: 20, maxDuration: 5s }
`;

const journalLines = (runDir: string) => readFileSync(join(runDir, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; id?: string });
const caseIds = (runDir: string) => journalLines(runDir).filter((l) => l.type === 'case').map((l) => l.id!);
const noStack = (text: string) => assert.not.match(text, /\n\s+at .+:\d+:\d+/, 'no stack trace');
/** Running (a zombie waiting for a reaper that is not its old parent counts as gone). */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};


simTest('a journal line cut off mid-write: --resume cuts it away, re-runs that case once, and rebuilds the reports', () => {
  const runDir = join(dir, 'torn');
  const first = runCli(['run', writeSuite(dir, 'torn.yaml', suite('torn', [1, 2, 3, 4, 5, 6], '100ms')), '-o', runDir, '--quiet']);
  assert.is(first.code, 0, first.stderr);
  const file = join(runDir, 'journal.jsonl');
  const text = readFileSync(file, 'utf8');
  const lastLine = text.slice(text.lastIndexOf('\n', text.length - 2) + 1);
  truncateSync(file, text.length - Math.floor(lastLine.length / 2)); // half of the last case's line
  const resumed = runCli(['run', '--resume', runDir]);
  assert.is(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /5 of 6 cases already in the journal \(a torn last line was cut away\)/);
  const ids = caseIds(runDir);
  assert.is(ids.length, 6);
  assert.is(new Set(ids).size, 6, 'no case twice');
  const results = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as { cases: { status: string }[] };
  assert.equal(results.cases.map((c) => c.status), ['ok', 'ok', 'ok', 'ok', 'ok', 'ok']);
  // And again: nothing left to do, no damage reported.
  const again = runCli(['run', '--resume', runDir]);
  assert.is(again.code, 0, again.stderr);
  assert.equal(tempFiles(runDir), []);
});

simTest('two runs into one folder: the second is refused naming the first; the first finishes alone', async () => {
  const runDir = join(dir, 'shared');
  const file = writeSuite(dir, 'shared.yaml', suite('shared', [1, 2, 3], '1s'));
  let second: ReturnType<typeof runCli> | undefined;
  const first = await startCli(['run', file, '-o', runDir], (line) => {
    if (!second && /^\[1\/3\]/.test(line)) second = runCli(['run', file, '-o', runDir, '--quiet']);
  });
  assert.is(first.code, 0, first.stderr);
  assert.ok(second, 'the second run was started');
  assert.is(second!.code, 2, second!.stderr);
  assert.match(second!.stderr, /--out .*shared: another infergate run \(pid \d+ on .+, since .+\) is writing this run folder/);
  noStack(second!.stderr);
  assert.equal(caseIds(runDir).length, 3);
  // Once it is done, a new run into the same folder would mix two runs: refused, pointing at --resume.
  const later = runCli(['run', file, '-o', runDir]);
  assert.is(later.code, 2);
  assert.match(later.stderr, /already holds a run \(journal\.jsonl\); finish it with 'infergate run --resume/);
  assert.equal(tempFiles(runDir), []);
});

simTest('the run killed with SIGKILL mid-case: its case process does not outlive it; --resume takes over the lock and loses or repeats nothing', async () => {
  const runDir = join(dir, 'killed');
  let casePid = 0;
  const r = await startCli(['run', writeSuite(dir, 'killed.yaml', suite('killed', [1, 2, 3], '2s')), '-o', runDir], (line, pid) => {
    const m = /case process \(pid (\d+)\)/.exec(line);
    if (m && caseIdsSafe(runDir).length === 1 && !casePid) {
      casePid = Number(m[1]);
      setTimeout(() => process.kill(pid, 'SIGKILL'), 300);
    }
  });
  assert.is(r.signal, 'SIGKILL');
  assert.ok(casePid > 0);
  for (let i = 0; i < 100 && alive(casePid); i++) await new Promise((res) => setTimeout(res, 100));
  assert.not.ok(alive(casePid), 'the orphaned case process exits when its run dies');
  assert.ok(existsSync(join(runDir, 'run.lock')), 'the dead run left its lock');
  const resumed = runCli(['run', '--resume', runDir, '--quiet']);
  assert.is(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /taking over .*run\.lock: its run \(pid \d+, since .+\) is no longer running/);
  const ids = caseIds(runDir);
  assert.equal(ids.length, 3);
  assert.is(new Set(ids).size, 3);
  assert.equal(tempFiles(runDir), []);
});

function caseIdsSafe(runDir: string): string[] {
  try {
    return caseIds(runDir);
  } catch {
    return [];
  }
}

simTest('SIGTERM: the current call finishes, partial reports are written, exit 143; --resume completes the run', async () => {
  const runDir = join(dir, 'term');
  const r = await startCli(['run', writeSuite(dir, 'term.yaml', suite('term', [1, 2, 3], '1s')), '-o', runDir], (line, pid) => {
    if (/^\[2\/3\]/.test(line)) setTimeout(() => process.kill(pid, 'SIGTERM'), 300);
  });
  assert.is(r.code, 143, r.stderr);
  noStack(r.stderr);
  const partial = JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as { cases: { status: string; notes: string[] }[] };
  assert.is(partial.cases[0]!.status, 'ok');
  assert.ok(partial.cases.slice(1).every((c) => c.notes.some((n) => /interrupted|not run/.test(n))));
  assert.equal(tempFiles(runDir), []);
  const resumed = runCli(['run', '--resume', runDir, '--quiet']);
  assert.is(resumed.code, 0, resumed.stderr);
  assert.equal(caseIds(runDir).length, 3);
});

simTest('a hung device: the sim honours native.timeoutMs, so the case fails on its own and the run goes on', () => {
  const text = suite('hung', [1, 2]) + 'include:\n  - { model: resnet18-v1-7, target: sim-rdk-x5, precision: int8, batch: 1, threads: 3, sim: { hang_after: 10 } }\nnative: { timeoutMs: 300 }\n';
  const runDir = join(dir, 'hung');
  const r = runCli(['run', writeSuite(dir, 'hung.yaml', text), '-o', runDir, '--quiet']);
  assert.is(r.code, 3, r.stderr);
  assert.match(r.stderr, /t3 failed \(infrastructure\): .*no answer within 300 ms \(native\.timeoutMs\) after 10 calls \(injected hang\)/);
  noStack(r.stderr);
  assert.equal(caseIds(runDir).length, 3);
  assert.equal(tempFiles(runDir), []);
});

test('unreadable images with onError: skip are counted on the terminal and in the reports', () => {
  const images = join(dir, 'mixed-images');
  mkdirSync(images, { recursive: true });
  copyFileSync(join(FX, 'images', 'a.jpg'), join(images, 'good.jpg'));
  copyFileSync(join(FX, 'truncated-images', 'a.jpg'), join(images, 'broken.jpg'));
  writeFileSync(join(images, 'labels.txt'), 'good.jpg 0\nbroken.jpg 1\n');
  writeTinyModel(dir, 'tiny-skip.onnx');
  const runDir = join(dir, 'skip-run');
  const r = runCli(['run', writeSuite(dir, 'skip.yaml', `name: skip
models: [{ id: ./tiny-skip.onnx, name: tiny }]
targets: [ort-cpu]
measure: { warmup: { duration: 0s, iterations: 1 }, minDuration: 100ms, minIterations: 5, maxDuration: 2s }
dataset:
  images: ./mixed-images
  labels: ./mixed-images/labels.txt
  classes: 4
  onError: skip
  preprocess: { resize: { shorter: 8 }, crop: { width: 8, height: 8 } }
`), '-o', runDir]);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stderr, /1 image skipped and not scored \(dataset\.onError: skip\), e\.g\. .*broken\.jpg/);
  assert.match(r.stdout, /1 image skipped and not scored/);
  assert.match(readFileSync(join(runDir, 'report.md'), 'utf8'), /1 image skipped and not scored/);
  assert.equal(tempFiles(runDir), []);
});

const mountTest = testWhen(CAN_MOUNT && !!loadNative().addon, 'mounting a small tmpfs needs root (CI runs as root) and the sim backend');

mountTest('a read-only output folder: --out and --to are refused up front naming the flag (exit 2), nothing written', () => {
  const ro = join(dir, 'ro');
  assert.ok(mountTmpfs(ro, 'ro,size=64k'));
  try {
    const run = runCli(['run', writeSuite(dir, 'ro.yaml', suite('ro', [1])), '-o', join(ro, 'run')]);
    assert.is(run.code, 2, run.stderr);
    assert.match(run.stderr, /--out .*ro\/run: .* cannot be written \(read-only or no permission\)/);
    noStack(run.stderr);
    const update = runCli(['baseline', 'update', join(FX, 'results-ok'), '--to', join(ro, 'base.json')]);
    assert.is(update.code, 2, update.stderr);
    assert.match(update.stderr, /--to .*ro\/base\.json: .*cannot be written/);
    noStack(update.stderr);
  } finally {
    spawnSync('umount', [ro]);
  }
});

mountTest('a full disk: exit 3 naming the path and "no space left on device"; the journal stays whole; no temp file survives', () => {
  const full = join(dir, 'full');
  // Room for the run folder's first files, not for every case's samples and reports.
  assert.ok(mountTmpfs(full, 'size=40k'));
  try {
    const runDir = join(full, 'run');
    const r = runCli(['run', writeSuite(dir, 'full.yaml', suite('full', [1, 2, 3, 4], '300ms')), '-o', runDir, '--quiet']);
    assert.is(r.code, 3, r.stderr);
    assert.match(r.stderr, /no space left on device while writing .*full\/run\//);
    noStack(r.stderr);
    assert.not.match(r.stderr, /internal error/);
    for (const line of readFileSync(join(runDir, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean)) JSON.parse(line);
    assert.equal(tempFiles(runDir), []);
  } finally {
    spawnSync('umount', [full]);
  }
});

test.run();
