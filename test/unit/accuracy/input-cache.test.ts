/**
 * The preprocessed-input cache file and its keys, without decoding anything: the file round
 * trips, a truncated or corrupted file is detected, the key follows every spec field that shapes
 * the bytes (and no normalisation field), an image's identity follows its mtime or content, the
 * feed-time normalisation equals toTensor's, and pruning goes least recently used first.
 */
import { closeSync, mkdirSync, openSync, readFileSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { feeder } from '../../../harness/accuracy/feed.js';
import { InputCacheReader, InputCacheWriter, inputCacheFile, readIndex } from '../../../harness/accuracy/input-cache.js';
import { entryKey, imageIdentity, sameImage, selectionKey, storedSpec } from '../../../harness/accuracy/input-key.js';
import { toTensor } from '../../../harness/accuracy/preprocess.js';
import { listCache, parseSize, pruneCache } from '../../../harness/convert/inventory.js';
import { IMAGENET_FLOAT_PREPROCESS, type PreprocessSpec } from '../../../harness/models/registry.js';
import { loadNative } from '../../../harness/targets/native.js';
import { tempDir, tempFiles, testWhen } from '../../helpers.js';

const SPEC = IMAGENET_FLOAT_PREPROCESS;
const BPI = 12;
const info = (key: string) => ({ key, datasetDir: '/data', spec: { any: 1 }, rule: 'test rule', bytesPerImage: BPI });
const id = { size: 10, mtimeNs: '123' };
const bytes = (seed: number) => Uint8Array.from({ length: BPI }, (_, i) => (seed * 31 + i) & 255);

function writeFile(root: string, key: string, names: string[]): string {
  const file = inputCacheFile(key, root);
  const w = new InputCacheWriter(file, info(key));
  names.forEach((n, i) => w.append(n, id, bytes(i)));
  w.commit();
  return file;
}

test('a written file reads back image by image; the temporary file is gone', () => {
  const root = tempDir();
  const file = writeFile(root, 'k1', ['a.jpg', 'b.jpg', 'c.jpg']);
  assert.equal(tempFiles(root), []);
  const { reader, damaged } = InputCacheReader.open(file, 'k1');
  assert.is(damaged, undefined);
  assert.equal(Array.from(reader!.read(reader!.lookup('b.jpg')!)!), Array.from(bytes(1)));
  assert.is(reader!.lookup('d.jpg'), undefined, 'an image outside the file is a miss');
  reader!.close();
  assert.match(InputCacheReader.open(file, 'other-key').damaged!, /names the key k1/);
});

test('a file truncated on disk is damaged, whatever was cut', () => {
  const root = tempDir();
  const file = writeFile(root, 'k2', ['a.jpg', 'b.jpg']);
  const size = statSync(file).size;
  for (const cut of [1, 17, size - 20]) {
    const copy = join(root, `cut-${cut}.pic`);
    writeFileSync(copy, readFileSync(file).subarray(0, size - cut));
    const r = InputCacheReader.open(copy, 'k2');
    assert.is(r.reader, undefined, `cut ${cut} bytes`);
    assert.ok(r.damaged, `cut ${cut} bytes`);
  }
  // Cut inside the image bytes with the trailer kept: the index's length no longer adds up.
  const spliced = Buffer.concat([readFileSync(file).subarray(0, 20), readFileSync(file).subarray(21)]);
  writeFileSync(join(root, 'spliced.pic'), spliced);
  assert.match(InputCacheReader.open(join(root, 'spliced.pic'), 'k2').damaged!, /bytes on disk/);
  truncateSync(file, 0);
  const fd = openSync(file, 'r');
  assert.ok('damaged' in readIndex(fd));
  closeSync(fd);
});

test('an image whose bytes changed on disk fails its crc32 and is not returned', () => {
  const root = tempDir();
  const file = writeFile(root, 'k3', ['a.jpg', 'b.jpg']);
  const data = readFileSync(file);
  data[16 + BPI + 3]! ^= 0xff; // inside b.jpg's bytes
  writeFileSync(file, data);
  const { reader } = InputCacheReader.open(file, 'k3');
  assert.ok(reader!.read(reader!.lookup('a.jpg')!));
  assert.is(reader!.read(reader!.lookup('b.jpg')!), undefined);
  reader!.close();
});

test('commit keeps the old file\'s entries this run did not write (a partial selection reuses and keeps them)', () => {
  const root = tempDir();
  const file = writeFile(root, 'k4', ['a.jpg', 'b.jpg', 'c.jpg']);
  const old = InputCacheReader.open(file, 'k4').reader!;
  const w = new InputCacheWriter(file, info('k4'));
  w.append('b.jpg', id, bytes(9)); // b changed and was decoded again
  w.append('d.jpg', id, bytes(3));
  w.commit(old);
  old.close();
  const r = InputCacheReader.open(file, 'k4').reader!;
  assert.equal(r.index.entries.map((e) => e.name).sort(), ['a.jpg', 'b.jpg', 'c.jpg', 'd.jpg']);
  assert.equal(Array.from(r.read(r.lookup('b.jpg')!)!), Array.from(bytes(9)));
  assert.equal(Array.from(r.read(r.lookup('c.jpg')!)!), Array.from(bytes(2)));
  r.close();
});

test('abort leaves no temporary file', () => {
  const root = tempDir();
  const w = new InputCacheWriter(inputCacheFile('k5', root), info('k5'));
  w.append('a.jpg', id, bytes(0));
  w.abort();
  assert.equal(tempFiles(root), []);
});

test('the key follows resize, kernel, crop, colour, layout, dtype and encoding, not normalisation', () => {
  const base = entryKey('/data', SPEC);
  const changes: Partial<PreprocessSpec>[] = [
    { resize: { shorter: 240 } },
    { kernel: 'bilinear' },
    { crop: { width: 200, height: 200 } },
    { colour: 'BGR' },
    { layout: 'NHWC' },
    { dtype: 'uint8' },
    { output: 'nv12' },
  ];
  for (const c of changes) assert.is.not(entryKey('/data', { ...SPEC, ...c }), base, JSON.stringify(c));
  assert.is.not(entryKey('/other', SPEC), base, 'another dataset folder');
  assert.is(entryKey('/data', { ...SPEC, mean: [0, 0, 0], std: [1, 1, 1], scale: 1 }), base, 'normalisation is applied at feed time');
});

test('an image is the same while its size and mtime are; with verify, while its content is', async () => {
  const dir = tempDir();
  const f = join(dir, 'x.jpg');
  writeFileSync(f, 'abcd');
  const before = (await imageIdentity(f, false))!;
  assert.ok(sameImage(before, (await imageIdentity(f, false))!));
  utimesSync(f, new Date(), new Date(Date.now() + 5000));
  assert.not.ok(sameImage(before, (await imageIdentity(f, false))!), 'touched: a miss');
  const hashed = (await imageIdentity(f, true))!;
  writeFileSync(f, 'abce'); // same size
  const t = statSync(f).mtime;
  utimesSync(f, t, t);
  assert.not.ok(sameImage(hashed, (await imageIdentity(f, true))!), 'verify: another content is a miss');
  assert.is(await imageIdentity(join(dir, 'gone.jpg'), false), undefined, 'an unreadable file has no identity: never a hit');
  assert.is.not(selectionKey(['x.jpg'], [before], SPEC), selectionKey(['x.jpg'], [hashed], SPEC));
});

test('feeding the stored bytes equals toTensor, for float NCHW and NHWC, uint8 and NV12', () => {
  const w = 6;
  const h = 4;
  const rgb = Uint8Array.from({ length: w * h * 3 }, (_, i) => (i * 37 + 11) & 255);
  const specs: PreprocessSpec[] = [
    SPEC,
    { ...SPEC, colour: 'BGR', layout: 'NHWC' },
    { ...SPEC, dtype: 'uint8', scale: 1, mean: [0, 0, 0], std: [1, 1, 1] },
    { ...SPEC, output: 'nv12' },
    { ...SPEC, crop: { width: 5, height: 3 } },
  ];
  for (const spec of specs) {
    const ww = spec.crop.width === 5 ? 5 : w;
    const hh = spec.crop.width === 5 ? 3 : h;
    const src = rgb.subarray(0, ww * hh * 3);
    const want = toTensor(src, ww, hh, spec);
    const got = want instanceof Float32Array ? new Float32Array(want.length + 3) : new Uint8Array(want.length + 3);
    // TypeScript's loop here; the addon's (where it is built) in the test below.
    feeder(spec, null)(got, 3, toTensor(src, ww, hh, storedSpec(spec)) as Uint8Array);
    assert.equal(Array.from(got.subarray(3)), Array.from(want), JSON.stringify({ layout: spec.layout, dtype: spec.dtype, output: spec.output, crop: spec.crop }));
  }
});

const lutKernel = loadNative().addon?.feedThroughLut;
testWhen(lutKernel !== undefined, 'the native addon is not built (npm run build:native)')('the addon\'s feed loop gives exactly the floats of the TypeScript loop, and refuses a short buffer', () => {
  const bytes = new Uint8Array(3 * 224 * 224);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + (i >> 7)) & 255;
  for (const spec of [SPEC, { ...SPEC, colour: 'BGR' as const, layout: 'NHWC' as const }]) {
    const viaTs = new Float32Array(bytes.length + 5);
    const viaAddon = new Float32Array(bytes.length + 5);
    feeder(spec, null)(viaTs, 5, bytes);
    feeder(spec, lutKernel)(viaAddon, 5, bytes);
    assert.ok(viaTs.every((x, i) => Object.is(x, viaAddon[i])), spec.layout);
    assert.is(viaAddon[4], 0); // nothing written before `at`
    assert.not.equal(viaAddon[5], 0);
  }
  assert.throws(() => feeder(SPEC, lutKernel)(new Float32Array(bytes.length), 1, bytes), /too short/);
});

test('sizes parse in powers of 1024; prune removes temp files and the least recently used first', () => {
  assert.is(parseSize('20G'), 20 * 1024 ** 3);
  assert.is(parseSize('1.5M'), 1.5 * 1024 ** 2);
  assert.is(parseSize('0'), 0);
  assert.is(parseSize('12 parsecs'), undefined);
  const root = tempDir();
  const old = writeFile(root, 'old', ['a.jpg']);
  const recent = writeFile(root, 'recent', ['a.jpg']);
  mkdirSync(join(root, 'artifacts', 'art1'), { recursive: true });
  writeFileSync(join(root, 'artifacts', 'art1', 'meta.json'), '{"precision":"fp32"}');
  writeFileSync(join(root, 'inputs', 'gone.pic.999999999.abc.tmp'), 'x'); // its writer (pid 999999999) is gone
  const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s));
  utimesSync(old, t(1), t(1));
  utimesSync(join(root, 'artifacts', 'art1'), t(2), t(2));
  utimesSync(recent, t(3), t(3));
  const listed = listCache(root);
  assert.equal(listed.map((e) => e.kind).sort(), ['artifact', 'inputs', 'inputs', 'temp']);
  const keep = statSync(recent).size;
  const dry = pruneCache(keep, root, true);
  assert.equal(dry.removed.map((e) => e.key), ['gone.pic.999999999.abc.tmp', 'old', 'art1']);
  assert.is(listCache(root).length, 4, 'a dry run removes nothing');
  const { removed, kept } = pruneCache(keep, root);
  assert.is(removed.length, 3);
  assert.equal(kept.map((e) => e.key), ['recent']);
  assert.equal(listCache(root).map((e) => e.key), ['recent']);
});

test.run();
