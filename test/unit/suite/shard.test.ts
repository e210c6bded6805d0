/** --shard K/N: an exact partition of the suite's cases (union = all, no overlap), balanced, deterministic. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseShard, selectShard, shardCases } from '../../../harness/suite/shard.js';

test('every split of every suite size partitions the cases exactly', () => {
  for (let n = 1; n <= 40; n++) {
    const cases = Array.from({ length: n }, (_, i) => `case-${i}`);
    for (let count = 1; count <= 12; count++) {
      const parts = Array.from({ length: count }, (_, k) => shardCases(cases, { index: k + 1, count }));
      const all = parts.flat();
      assert.is(all.length, n, `n=${n} count=${count}`);
      assert.equal([...all].sort(), [...cases].sort());
      const sizes = parts.map((p) => p.length);
      assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `balanced: ${sizes}`);
      // Deterministic, and in suite order inside a shard.
      assert.equal(shardCases(cases, { index: 1, count }), parts[0]);
      for (const p of parts) assert.equal(p, [...p].sort((a, b) => cases.indexOf(a) - cases.indexOf(b)));
    }
  }
});

test('parseShard: K/N with 1 <= K <= N, anything else names the flag', () => {
  assert.equal(parseShard('2/5'), { index: 2, count: 5 });
  assert.equal(parseShard(' 1 / 1 '), { index: 1, count: 1 });
  for (const bad of ['0/3', '4/3', '1/0', '2', 'a/b', '-1/3', '1.5/3']) assert.throws(() => parseShard(bad), /--shard .*expected K\/N/);
});

test('a shard that would be empty is refused, naming the suite size', () => {
  assert.throws(() => selectShard(['a', 'b'], { index: 3, count: 3 }, 'tiny'), /suite 'tiny' has only 2 cases, so shard 3 would be empty/);
  assert.equal(selectShard(['a', 'b'], undefined, 'tiny'), ['a', 'b']);
});

test.run();
