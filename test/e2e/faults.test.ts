/**
 * Fault injection: a driver that aborts, a device that hangs, a load failure, a case process
 * killed with SIGKILL, the run itself killed mid-way. Each time the other cases complete, the
 * journal is whole, the exit code is 3 (or the run resumes to completion).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadNative } from '../../harness/targets/native.js';
import { ROOT, runCli, tempDir, testWhen, writeSuite, startCli } from '../helpers.js';

const simTest = testWhen(!!loadNative().addon, 'the native addon (sim backend) did not build');
const dir = tempDir('infergate-faults-');
const MEASURE = 'measure: { warmup: { duration: 10ms, iterations: 2 }, minDuration: 300ms, minIterations: 40, maxDuration: 3s }';
const head = (name: string) => `name: ${name}
models: [resnet18-v1-7]
targets: [sim-rdk-x5]
precisions: [int8]
batch: [1]
threads: [1]
${MEASURE}
`;
const inc = (threads: number, extra = '') => `  - { model: resnet18-v1-7, target: sim-rdk-x5, precision: int8, batch: 1, threads: ${threads}${extra} }`;

interface JournalLine {
  type: string;
  id?: string;
  result?: { status: string; error?: { message: string }; startedAt?: string };
}
function journal(runDir: string): JournalLine[] {
  const text = readFileSync(join(runDir, 'journal.jsonl'), 'utf8');
  return text.trim().split('\n').map((l) => JSON.parse(l) as JournalLine);
}
const resultsOf = (runDir: string) => JSON.parse(readFileSync(join(runDir, 'results.json'), 'utf8')) as { cases: { id: string; status: string; error?: { message: string }; notes: string[]; startedAt?: string }[] };

simTest('abort in the driver, a hung device, a load failure, an error mid-run: each costs its case only; exit 3', () => {
  const suite = writeSuite(
    dir,
    'faults.yaml',
    head('faults') +
      `include:
${inc(2, ', sim: { abort_after: 30 }')}
${inc(3, ', sim: { hang_after: 30 }, measure: { timeout: 2s }')}
${inc(4, ', sim: { fail_load: "bad magic" }')}
${inc(5, ', sim: { fail_after: 30 }')}
${inc(6)}
`,
  );
  const runDir = join(dir, 'faults-run');
  const r = runCli(['run', suite, '-o', runDir, '--quiet']);
  assert.is(r.code, 3, r.stderr);
  const cases = resultsOf(runDir).cases;
  const by = (t: number) => cases.find((c) => c.id.endsWith(`/t${t}`))!;
  assert.is(by(1).status, 'ok');
  assert.is(by(6).status, 'ok');
  assert.is(by(2).status, 'failed');
  assert.match(by(2).error!.message, /killed by SIGABRT \(abort\(\) in the runtime or driver\) during measurement/);
  assert.is(by(3).status, 'failed');
  assert.match(by(3).error!.message, /timed out after 2 s in measurement: the case process was killed/);
  assert.is(by(4).status, 'failed');
  assert.match(by(4).error!.message, /bad magic/);
  assert.is(by(5).status, 'failed');
  assert.match(by(5).error!.message, /device error after 30 calls \(injected\)/);
  // The journal: a header, then one whole line per case, in order.
  const lines = journal(runDir);
  assert.is(lines[0]!.type, 'run');
  assert.equal(lines.slice(1).map((l) => l.id), cases.map((c) => c.id));
  for (const f of ['results.json', 'results.csv', 'report.md', 'report.html', 'junit.xml', 'summary.md']) assert.ok(existsSync(join(runDir, f)), f);
});


const threeCases = (name: string) => head(name).replace('threads: [1]', 'threads: [1, 2, 3]').replace('minDuration: 300ms', 'minDuration: 1s');

simTest('a case process killed with SIGKILL mid-measurement: that case fails, the rest complete, exit 3', async () => {
  const suite = writeSuite(dir, 'kill-case.yaml', threeCases('kill-case'));
  const runDir = join(dir, 'kill-case-run');
  let seen = 0;
  const r = await startCli(['run', suite, '-o', runDir], (line) => {
    const m = /case process \(pid (\d+)\)/.exec(line);
    if (m && ++seen === 2) setTimeout(() => process.kill(Number(m[1]), 'SIGKILL'), 300);
  });
  assert.is(r.code, 3, r.stderr);
  const cases = resultsOf(runDir).cases;
  assert.equal(cases.map((c) => c.status), ['ok', 'failed', 'ok']);
  assert.match(cases[1]!.error!.message, /killed by SIGKILL/);
  assert.is(journal(runDir).filter((l) => l.type === 'case').length, 3);
});

simTest('the run itself killed with SIGKILL: the journal keeps finished cases and --resume completes the run', async () => {
  const suite = writeSuite(dir, 'kill-run.yaml', threeCases('kill-run'));
  const runDir = join(dir, 'kill-run-run');
  const r = await startCli(['run', suite, '-o', runDir], (line, pid) => {
    if (/^\[2\/3\]/.test(line)) process.kill(pid, 'SIGKILL');
  });
  assert.is(r.signal, 'SIGKILL');
  const before = journal(runDir);
  assert.equal(before.map((l) => l.type), ['run', 'case']);
  assert.not.ok(existsSync(join(runDir, 'results.json')));

  const resumed = runCli(['run', '--resume', runDir, '--quiet']);
  assert.is(resumed.code, 0, resumed.stderr);
  const after = journal(runDir);
  assert.equal(after.map((l) => l.type), ['run', 'case', 'resume', 'case', 'case']);
  const cases = resultsOf(runDir).cases;
  assert.equal(cases.map((c) => c.status), ['ok', 'ok', 'ok']);
  // The first case was not run again: its result is the journalled one.
  assert.is(cases[0]!.startedAt, before[1]!.result!.startedAt);
  // Resuming a finished run has nothing left to do.
  const again = runCli(['run', '--resume', runDir]);
  assert.is(again.code, 0, again.stderr);
  assert.match(again.stderr, /3 of 3 cases already in the journal/);
});

test.run();
