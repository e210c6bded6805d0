/** Change points on synthetic series: the gate's rule (threshold AND Mann-Whitney) holds every step. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { detectSteps, judgeStep, type SeriesPoint } from '../../../harness/history/detect.js';
import { seededRandom } from '../../../harness/util/random.js';

/** Nights of a qps series: each night's level a little off (sd `night`), 10 blocks around it (sd `block`). */
function nights(levels: readonly number[], seed: number, night = 0.004, block = 0.005): SeriesPoint[] {
  const rnd = seededRandom(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  return levels.map((level) => {
    const l = level * (1 + night * gauss());
    const blocks = Array.from({ length: 10 }, () => l * (1 + block * gauss()));
    return { value: l, blocks };
  });
}

const opts = { threshold: 0.03, alpha: 0.01 };
const twelve = (from: number, factor: number) => Array.from({ length: 12 }, (_, i) => (i + 1 >= from ? 400 / factor : 400));

test('an 8% slowdown from night 7 of 12: exactly one step, at night 7, with its size and test', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const steps = detectSteps(nights(twelve(7, 1.08), seed), opts);
    assert.is(steps.length, 1, `seed ${seed}: ${JSON.stringify(steps)}`);
    const s = steps[0]!;
    assert.is(s.index, 6);
    assert.ok(Math.abs(s.change - (1 / 1.08 - 1)) < 0.01, String(s.change));
    assert.ok(s.p < 0.01);
    assert.is(s.samples, 'blocks');
    assert.is(s.runsBefore, 6);
    assert.is(s.runsAfter, 6);
  }
});

test('A/A: 12 nights of the same level find no step (200 seeds)', () => {
  for (let seed = 1; seed <= 200; seed++) assert.equal(detectSteps(nights(twelve(99, 1), seed), opts), [], `seed ${seed}`);
});

test('one odd night (15% slow) is not a step; a step on the last night only waits for a second night', () => {
  const odd = twelve(99, 1).map((v, i) => (i === 5 ? v / 1.15 : v));
  for (let seed = 1; seed <= 20; seed++) assert.equal(detectSteps(nights(odd, seed), opts), [], `seed ${seed}`);
  assert.equal(detectSteps(nights(twelve(12, 1.1), 3), opts), []);
  assert.is(detectSteps(nights(twelve(11, 1.1), 3), opts).length, 1);
});

test('below the practical threshold: a clean 2% step is significant but not a step', () => {
  const pts = nights(twelve(7, 1.02), 5, 0.001, 0.001);
  assert.equal(detectSteps(pts, opts), []);
  // With a 1% threshold the same series has its step.
  assert.is(detectSteps(pts, { ...opts, threshold: 0.01 })[0]?.index, 6);
});

test('beyond the threshold but not significant: 2 vs 2 runs without blocks cannot pass Mann-Whitney at 0.01', () => {
  const pts = [400, 401, 360, 361].map((value) => ({ value }));
  assert.equal(detectSteps(pts, opts), []);
  assert.is(judgeStep(pts, 0, 2, 4, { ...opts, alpha: 0.5 })?.samples, 'runs');
});

test('two steps (down at 13, back up at 25) are both found, each judged between its neighbours', () => {
  const levels = Array.from({ length: 36 }, (_, i) => (i >= 12 && i < 24 ? 400 / 1.1 : 400));
  const steps = detectSteps(nights(levels, 9), opts);
  assert.equal(steps.map((s) => s.index), [12, 24]);
  assert.ok(steps[0]!.change < -0.08 && steps[1]!.change > 0.08);
  assert.is(steps[0]!.runsAfter, 12);
});

test('accuracy: absolute thresholds, per-run values', () => {
  const top1 = [0.74, 0.741, 0.739, 0.74, 0.742, 0.74, 0.72, 0.721, 0.719, 0.72, 0.722, 0.72].map((value) => ({ value }));
  const steps = detectSteps(top1, { threshold: 0.01, absolute: true, alpha: 0.01 });
  assert.is(steps.length, 1);
  assert.is(steps[0]!.index, 6);
  assert.ok(Math.abs(steps[0]!.change + 0.02) < 0.002);
  assert.is(steps[0]!.samples, 'runs');
});

test('short and flat series: nothing to find, nothing thrown', () => {
  assert.equal(detectSteps([], opts), []);
  assert.equal(detectSteps([{ value: 1 }, { value: 2 }, { value: 3 }], opts), []);
  assert.equal(detectSteps(Array.from({ length: 12 }, () => ({ value: 5, blocks: [5, 5, 5] })), opts), []);
});

test.run();
