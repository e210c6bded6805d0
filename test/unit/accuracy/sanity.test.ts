/** Run-time checks for silent accuracy bugs. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { CollapseWatch, firstBatchProblem } from '../../../harness/accuracy/sanity.js';

test('first batch: NaN or constant logits are a problem; ordinary logits are not', () => {
  assert.is(firstBatchProblem(Float32Array.from([0.1, 2, -1, 0.5, 0.5, 0.6]), 2, 3), undefined);
  assert.match(firstBatchProblem(Float32Array.from([0.1, 2, -1, 0.5, NaN, 0.6]), 2, 3)!, /not finite \(image 2 of the batch, class 1: NaN\)/);
  assert.match(firstBatchProblem(Float32Array.from([0.1, 2, -1, 7, 7, 7]), 2, 3)!, /constant \(image 2 of the batch: every one of 3 classes scores 7\)/);
  // Padding rows past `rows` are not looked at.
  assert.is(firstBatchProblem(Float32Array.from([1, 2, 3, 0, 0, 0]), 1, 3), undefined);
});

test('collapse: 97 of the first 100 on one class warns; a spread histogram does not', () => {
  const w = new CollapseWatch();
  for (let i = 0; i < 150; i++) w.add(i < 97 ? 7 : i);
  assert.is(w.warning(), 'the model predicts class 7 for 97 of 100 images: input encoding?');
  const ok = new CollapseWatch();
  for (let i = 0; i < 100; i++) ok.add(i % 3);
  assert.is(ok.warning(), undefined);
  const few = new CollapseWatch();
  for (let i = 0; i < 5; i++) few.add(1);
  assert.is(few.warning(), undefined);
});

test.run();
