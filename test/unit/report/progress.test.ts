/** The live line of a measuring case: estimates from the run-length policy, redrawn on a TTY, plain lines otherwise. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { caseSecondsLeft, liveProgress, progressLine, type CaseProgressInfo } from '../../../harness/report/progress.js';

const runLength = { warmupSeconds: 1, warmupIterations: 3, minSeconds: 5, minIterations: 30, maxSeconds: 120 };

test('seconds left: rest of the warm-up + minDuration; then max(minDuration, minIterations at the observed pace), capped by maxDuration', () => {
  assert.is(caseSecondsLeft(runLength, 1, { phase: 'warmup', phaseSeconds: 0.25 }), 0.75 + 5);
  assert.is(caseSecondsLeft(runLength, 1, { phase: 'measure', phaseSeconds: 2, calls: 200 }), 3, 'fast calls: minDuration rules');
  // 2 threads, 10 calls in 4 s = 5 calls a thread: 30 calls a thread need 24 s, 20 s left.
  assert.is(caseSecondsLeft(runLength, 2, { phase: 'measure', phaseSeconds: 4, calls: 10 }), 20);
  assert.is(caseSecondsLeft({ ...runLength, maxSeconds: 10 }, 1, { phase: 'measure', phaseSeconds: 4, calls: 1 }), 6, 'capped by maxDuration');
  assert.is(caseSecondsLeft(runLength, 1, { phase: 'measure', phaseSeconds: 7 }), 0, 'native driver: no calls to pace by');
});

const info = (now: number): CaseProgressInfo => ({ index: 2, total: 12, caseId: 'm/ort-cpu/force_float32/b4/t2', runLength, threads: 2, batch: 4, caseStartedMs: now - 3000, runStartedMs: now - 65_000, laterSeconds: 54 });

test('the line: i/N, case, calls and running qps, elapsed and left for the case and the run', () => {
  const now = 1_000_000;
  const line = progressLine(info(now), { phase: 'measure', phaseSeconds: 2, calls: 100 }, now);
  assert.is(line, '[3/12] m/ort-cpu/force_float32/b4/t2: measuring 2.0 s, 100 calls, 200.0 qps; case 0:03 elapsed, ~0:03 left; run 1:05 elapsed, ~0:57 left');
});

function fakeStream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 60, write: (s: string) => writes.push(s) } as unknown as NodeJS.WriteStream };
}

test('TTY: one line redrawn in place, cut to the width; log lines go above it; clear removes it', () => {
  const { writes, stream } = fakeStream(true);
  const live = liveProgress(stream);
  const i = info(Date.now());
  live.measuring(i, { phase: 'measure', phaseSeconds: 1, calls: 10 });
  live.measuring(i, { phase: 'measure', phaseSeconds: 2, calls: 20 });
  assert.ok(writes.every((w) => w.startsWith('\r\x1b[2K') && !w.includes('\n')));
  assert.ok(writes.every((w) => w.length - 5 <= 59), 'never wider than the terminal');
  live.log('a log line');
  assert.equal(writes.slice(-3), ['\r\x1b[2K', 'a log line\n', writes[1]!.slice(5)]);
  live.clear();
  assert.is(writes.at(-1), '\r\x1b[2K');
});

test('not a TTY: plain lines, at most one per period, no control characters', () => {
  const { writes, stream } = fakeStream(false);
  const live = liveProgress(stream, 0);
  const i = info(Date.now() - 10);
  live.measuring(i, { phase: 'warmup', phaseSeconds: 0.5 });
  live.log('x');
  assert.is(writes.length, 2);
  assert.not.match(writes.join(''), /\r|\x1b/);
  const slow = fakeStream(false);
  const quiet = liveProgress(slow.stream, 3600);
  quiet.measuring(i, { phase: 'warmup', phaseSeconds: 0.5 });
  assert.is(slow.writes.length, 0);
});

test.run();
