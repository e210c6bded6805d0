/** Blocks: the per-block values the gate compares. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { blocks } from '../../../harness/measure/stats.js';

test('blocks: per-block qps summed over threads, and per-block mean latency', () => {
  // Two threads, 10 calls each of 10 ms back to back: each block of 5 calls spans 50 ms.
  const thread = (offset: number) => ({ starts: Array.from({ length: 10 }, (_, i) => offset + i * 10), ends: Array.from({ length: 10 }, (_, i) => offset + i * 10 + 10) });
  const b = blocks([thread(0), thread(3)], 2, 2);
  assert.equal(b.qps.map((q) => Math.round(q)), [400, 400]); // 2 threads x 5 calls x 2 images / 0.05 s
  assert.equal(b.mean, [10, 10]);
  assert.is(blocks([thread(0)], 1, 10).qps.length, 5); // at least two calls a block
});

test.run();
