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
  assert.is(b.device, undefined); // no device time reported, no device series
});

test('blocks: per-block mean device time from each call\'s device time, only when every thread reports it', () => {
  const thread = (offset: number, device?: number[]) => ({ starts: Array.from({ length: 4 }, (_, i) => offset + i * 10), ends: Array.from({ length: 4 }, (_, i) => offset + i * 10 + 10), device });
  const b = blocks([thread(0, [1, 3, 5, 7]), thread(1, [2, 4, 6, 8])], 1, 2);
  assert.equal(b.device, [2.5, 6.5]); // block 1: (1 + 3 + 2 + 4) / 4, block 2: (5 + 7 + 6 + 8) / 4
  assert.is(blocks([thread(0, [1, 3, 5, 7]), thread(1)], 1, 2).device, undefined);
});

test.run();
