/**
 * The preprocessed-input cache through the evaluation pipeline (preprocessing threads and the
 * inference thread): cold and warm give identical per-image predictions; touching one image,
 * changing the crop or changing the encoding each miss; a truncated cache file is detected and
 * rebuilt, not read; --verify catches a changed image whose size and mtime were kept.
 */
import { copyFileSync, readdirSync, readFileSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as assert from 'uvu/assert';
import { test } from 'uvu';
import { loadDataset, type Dataset } from '../../harness/accuracy/dataset.js';
import { evaluate, type EvaluateOptions } from '../../harness/accuracy/evaluate.js';
import { inputCacheFile } from '../../harness/accuracy/input-cache.js';
import { entryKey } from '../../harness/accuracy/input-key.js';
import { InputSource } from '../../harness/accuracy/input-source.js';
import { IMAGENET_FLOAT_PREPROCESS, type PreprocessSpec } from '../../harness/models/registry.js';
import { assetTest, SHARED_ASSETS, tempDir, tempFiles } from '../helpers.js';

const session = { intraOpThreads: 2, interOpThreads: 1, graphOptimizationLevel: 'all' as const, executionMode: 'sequential' as const };
const QDQ = join(SHARED_ASSETS, 'models', 'mobilenetv2-int8-qdq.onnx');
const work = tempDir('infergate-input-cache-');
const images = join(work, 'images');
const root = join(work, 'cache');

function dataset(select: 'all' | { first: number } = 'all'): Dataset {
  return loadDataset({ images, labels: join(SHARED_ASSETS, 'imagenet', 'val.txt'), classes: 1000, select, onError: 'stop' }, '/');
}

let run = 0;
async function score(extra: Partial<EvaluateOptions> = {}) {
  const predictionsFile = join(work, `predictions-${run++}.jsonl`);
  const r = await evaluate(dataset(), { modelPath: QDQ, session, preprocess: IMAGENET_FLOAT_PREPROCESS, batch: 4, onError: 'stop', predictionsFile, cache: { enabled: true, root }, prepThreads: 2, ...extra });
  return { ...r, predictions: readFileSync(predictionsFile, 'utf8') };
}

/** Hits and misses of a spec over the dataset, without inference. */
async function probe(spec: PreprocessSpec): Promise<{ hits: number; decoded: number; status: string }> {
  const ds = dataset();
  const source = await InputSource.open({ items: ds.items, imagesDir: ds.imagesDir, spec, rule: 'probe', cache: { enabled: true, root }, poolSize: 1 });
  // Known before any image is read (a cold evaluation lets onnxruntime's threads sleep).
  const decodes = source.decodes;
  for (let i = 0; i < ds.items.length; i++) {
    const p = await source.get(i);
    assert.ok(p.data, p.error);
    source.fed(i, p.data!);
  }
  const s = await source.finish(true);
  assert.is(decodes, s.decoded > 0);
  return { hits: s.hits, decoded: s.decoded, status: s.status };
}

let cold = '';

assetTest('cold then warm: filled then hit, identical per-image predictions', async () => {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(images, { recursive: true });
  const src = join(SHARED_ASSETS, 'imagenet', 'val-100');
  for (const f of readdirSync(src).sort().slice(0, 10)) copyFileSync(join(src, f), join(images, f));
  const first = await score();
  assert.is(first.inputCache.status, 'filled');
  assert.is(first.inputCache.decoded, 10);
  assert.is(first.inputCache.bytes, statSync(first.inputCache.file!).size);
  assert.ok(first.inputCache.bytes > 10 * 224 * 224 * 3);
  const second = await score();
  assert.is(second.inputCache.status, 'hit');
  assert.is(second.inputCache.hits, 10);
  assert.is(second.inputCache.decoded, 0);
  assert.is(second.predictions, first.predictions, 'cold and warm predict the same, image by image');
  assert.is(second.inputCache.key, first.inputCache.key);
  cold = first.predictions;
  assert.equal(tempFiles(root), []);
});

assetTest('a partial selection reads the entries it needs from the full fill', async () => {
  const part = await evaluate(dataset({ first: 4 }), { modelPath: QDQ, session, preprocess: IMAGENET_FLOAT_PREPROCESS, batch: 4, onError: 'stop', cache: { enabled: true, root } });
  assert.equal([part.inputCache.status, part.inputCache.hits, part.inputCache.decoded], ['hit', 4, 0]);
  assert.is.not(part.inputCache.key, undefined);
});

assetTest('touching one image is a miss for that image only; the file is refilled', async () => {
  const touched = join(images, readdirSync(images).sort()[3]!);
  const later = new Date(Date.now() + 60_000);
  utimesSync(touched, later, later);
  const r = await score();
  assert.is(r.inputCache.status, 'filled');
  assert.is(r.inputCache.hits, 9);
  assert.is(r.inputCache.decoded, 1);
  assert.is(r.predictions, cold);
  assert.is((await score()).inputCache.status, 'hit');
});

assetTest('changing the crop or the encoding is a miss; the original spec still hits', async () => {
  const cropped = await probe({ ...IMAGENET_FLOAT_PREPROCESS, crop: { width: 200, height: 200 } });
  assert.equal(cropped, { hits: 0, decoded: 10, status: 'filled' });
  const nv12 = await probe({ ...IMAGENET_FLOAT_PREPROCESS, output: 'nv12' });
  assert.equal(nv12, { hits: 0, decoded: 10, status: 'filled' });
  const bgr = await probe({ ...IMAGENET_FLOAT_PREPROCESS, colour: 'BGR' });
  assert.equal(bgr, { hits: 0, decoded: 10, status: 'filled' });
  assert.equal(await probe(IMAGENET_FLOAT_PREPROCESS), { hits: 10, decoded: 0, status: 'hit' });
  assert.equal(await probe({ ...IMAGENET_FLOAT_PREPROCESS, output: 'nv12' }), { hits: 10, decoded: 0, status: 'hit' });
});

assetTest('a cache file truncated on disk is detected and rebuilt, not read', async () => {
  const file = inputCacheFile(entryKey(images, IMAGENET_FLOAT_PREPROCESS), root);
  const size = statSync(file).size;
  truncateSync(file, size - 1000);
  const r = await score();
  assert.is(r.inputCache.status, 'filled');
  assert.is(r.inputCache.hits, 0, 'nothing read from the damaged file');
  assert.is(r.inputCache.decoded, 10);
  assert.ok(r.warnings.some((w) => /damaged/.test(w) && w.includes(file)), r.warnings.join('; '));
  assert.is(r.predictions, cold);
  assert.is(statSync(file).size, size, 'rebuilt whole');
  assert.is((await score()).inputCache.status, 'hit');
  // Bytes damaged inside one image (trailer intact): that image fails its crc32 and is decoded again.
  const data = readFileSync(file);
  data[16 + 5 * 224 * 224 * 3 + 100]! ^= 0x55;
  writeFileSync(file, data);
  const crc = await score();
  assert.is(crc.inputCache.decoded, 1);
  assert.is(crc.predictions, cold);
  assert.ok(crc.warnings.some((w) => /crc32/.test(w)));
  assert.is((await score()).inputCache.status, 'hit');
});

assetTest('an image changed with its size and mtime kept: a hit by size and mtime (by design), a miss with verify', async () => {
  const a = join(images, readdirSync(images).sort()[0]!);
  const t = new Date(Date.UTC(2025, 5, 1, 12, 0, 0)); // a whole second: utimes can put it back exactly
  utimesSync(a, t, t);
  const first = await score({ cache: { enabled: true, root, verify: true } });
  assert.is(first.inputCache.status, 'filled', 'the index gains content hashes');
  assert.is(first.inputCache.decoded, 10);
  assert.ok(first.inputCache.verified);
  // Another JFIF pixel density: other bytes, same size, same pixels; the mtime is put back.
  const data = readFileSync(a);
  assert.is(data.subarray(6, 10).toString('latin1'), 'JFIF');
  data[15] = data[15]! ^ 0x02;
  writeFileSync(a, data);
  utimesSync(a, t, t);
  assert.is((await score()).inputCache.status, 'hit', 'size and mtime cannot see it');
  const verified = await score({ cache: { enabled: true, root, verify: true } });
  assert.is(verified.inputCache.decoded, 1, 'the changed image misses by content');
  assert.is(verified.inputCache.hits, 9);
  assert.is(verified.predictions, cold);
});

assetTest('dataset.cache off: nothing read or written', async () => {
  const r = await evaluate(dataset(), { modelPath: QDQ, session, preprocess: { ...IMAGENET_FLOAT_PREPROCESS, kernel: 'lanczos3' }, batch: 4, onError: 'stop', cache: { enabled: false, root } });
  assert.is(r.inputCache.status, 'miss');
  assert.is(r.inputCache.decoded, 10);
  assert.is(r.inputCache.bytes, 0);
  const lanczos = inputCacheFile(entryKey(images, { ...IMAGENET_FLOAT_PREPROCESS, kernel: 'lanczos3' }), root);
  assert.not.ok(readdirSync(join(root, 'inputs')).includes(lanczos.split('/').pop()!));
});

test.run();
