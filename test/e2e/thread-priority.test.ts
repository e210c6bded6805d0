/**
 * A cold evaluation in a process of its own keeps the inference threads above the decoding ones
 * (util/thread-priority.ts), and only there: not in a shared process (--no-isolate), and not
 * when inference and the pool share the cores. Each scenario runs in a child process
 * (priority-child.ts), because lowered threads cannot be raised again without privileges.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as assert from 'uvu/assert';
import { test } from 'uvu';
import { HAVE_SHARED, SHARED_ASSETS, testWhen } from '../helpers.js';

const LINUX = existsSync('/proc/thread-self');
const CORES = availableParallelism();
const linuxTest = testWhen(HAVE_SHARED && LINUX && CORES >= 2, !HAVE_SHARED ? `${SHARED_ASSETS} is absent (CI always has it and runs this)` : 'needs Linux per-thread priorities and at least 2 cores (CI has both)');

type Seen = { lowered?: number; n: number; batches: { inference: number[]; main: number; others: number[] }[] };

function scenario(args: { dedicated: boolean; prepThreads?: number }): Seen {
  const child = fileURLToPath(new URL('./priority-child.js', import.meta.url));
  const r = spawnSync(process.execPath, [child, JSON.stringify(args)], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Seen;
}

linuxTest('a dedicated process lowers the decoding threads below inference, which keeps the main thread\'s priority', () => {
  const seen = scenario({ dedicated: true });
  assert.is(seen.n, 48);
  assert.ok((seen.lowered ?? 0) > 0, `threads lowered: ${seen.lowered}`);
  // From the second batch on (the first lowering happens as its first image is fed).
  const later = seen.batches.slice(1);
  assert.ok(later.length >= 10);
  for (const b of later) {
    assert.ok(b.inference.length >= 1);
    // Relative to the main thread's: CI may run the whole suite under nice.
    assert.equal(b.inference, b.inference.map(() => b.main), 'inference threads keep the main thread\'s priority');
    assert.ok(b.others.some((nice) => nice === Math.min(19, b.main + 10)), `some decoding thread 10 below main (${b.main}): ${b.others.join(' ')}`);
  }
});

linuxTest('a shared process (--no-isolate) leaves every thread where it was', () => {
  const seen = scenario({ dedicated: false });
  assert.is(seen.lowered, undefined);
  for (const b of seen.batches) assert.ok([...b.inference, ...b.others].every((nice) => nice === b.main), JSON.stringify(b));
});

linuxTest('inference sharing the cores with the pool leaves every thread where it was (decoding is then the slower stage)', () => {
  const seen = scenario({ dedicated: true, prepThreads: CORES });
  assert.is(seen.lowered, undefined);
  for (const b of seen.batches) assert.ok([...b.inference, ...b.others].every((nice) => nice === b.main), JSON.stringify(b));
});

test.run();
