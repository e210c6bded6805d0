import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset, parseCaffeLabels, parseSynsets, resolveDataPath, type DatasetSpec } from '../../../harness/accuracy/dataset.js';
import { UserError } from '../../../harness/errors.js';
import { wilsonInterval } from '../../../harness/significance/index.js';
import { tempDir } from '../../helpers.js';

const close = (a: number, b: number, eps = 1e-4) => assert.ok(Math.abs(a - b) <= eps, `${a} != ${b}`);
const base: Omit<DatasetSpec, 'images'> = { classes: 1000, select: 'all', onError: 'stop' };

function folder(names: string[]): string {
  const dir = tempDir();
  mkdirSync(join(dir, 'img'));
  for (const n of names) writeFileSync(join(dir, 'img', n), 'x');
  return dir;
}

test('Wilson 95% interval against hand-computed values', () => {
  const [lo, hi] = wilsonInterval(63, 100);
  close(lo, 0.53221);
  close(hi, 0.71819);
  const [zlo, zhi] = wilsonInterval(0, 10);
  assert.is(zlo, 0);
  close(zhi, 0.27753);
  const [flo, fhi] = wilsonInterval(10, 10);
  close(flo, 0.72247);
  close(fhi, 1, 1e-12);
});

test('caffe labels: good lines, and bad lines named by file:line', () => {
  const labels = parseCaffeLabels('a.JPEG 65\n\nb.JPEG 0\n', 'val.txt', 1000);
  assert.equal([...labels], [['a.JPEG', 65], ['b.JPEG', 0]]);
  assert.throws(() => parseCaffeLabels('a.JPEG 65\nb.JPEG\n', 'val.txt', 1000), /val\.txt:2: expected '<image name> <class index>'/);
  assert.throws(() => parseCaffeLabels('a.JPEG 1000\n', 'val.txt', 1000), /val\.txt:1: class index 1000 is out of range 0\.\.999/);
  assert.throws(() => parseCaffeLabels('a.JPEG 1\na.JPEG 2\n', 'val.txt', 1000), /labelled twice/);
  assert.throws(() => parseSynsets('n01440764 tench\nbogus line\n', 's.txt'), /s\.txt:2/);
});

test('images without a label: stop names the file; skip counts it', () => {
  const dir = folder(['a.JPEG', 'b.JPEG', 'c.JPEG']);
  writeFileSync(join(dir, 'val.txt'), 'a.JPEG 1\nc.JPEG 3\n');
  const spec = { ...base, images: 'img', labels: 'val.txt' };
  assert.throws(() => loadDataset(spec, dir), (e: Error) => e instanceof UserError && /b\.JPEG has no label/.test(e.message));
  const ds = loadDataset({ ...spec, onError: 'skip' }, dir);
  assert.equal(ds.items.map((i) => [i.name, i.label]), [['a.JPEG', 1], ['c.JPEG', 3]]);
  assert.is(ds.skipped.length, 1);
});

test('selection: first N, seeded random N (stable), list file', () => {
  const names = Array.from({ length: 20 }, (_, i) => `img${String(i).padStart(2, '0')}.JPEG`);
  const dir = folder(names);
  writeFileSync(join(dir, 'val.txt'), names.map((n, i) => `${n} ${i}`).join('\n'));
  const spec = { ...base, images: 'img', labels: 'val.txt' };
  assert.equal(loadDataset({ ...spec, select: { first: 3 } }, dir).items.map((i) => i.label), [0, 1, 2]);
  const r1 = loadDataset({ ...spec, select: { random: 5, seed: 7 } }, dir).items.map((i) => i.label);
  const r2 = loadDataset({ ...spec, select: { random: 5, seed: 7 } }, dir).items.map((i) => i.label);
  const r3 = loadDataset({ ...spec, select: { random: 5, seed: 8 } }, dir).items.map((i) => i.label);
  assert.equal(r1, r2);
  assert.is.not(r1.join(), r3.join());
  assert.is(r1.length, 5);
  writeFileSync(join(dir, 'list.txt'), 'img04.JPEG\nimg02.JPEG\n');
  assert.equal(loadDataset({ ...spec, select: { list: 'list.txt' } }, dir).items.map((i) => i.label), [4, 2]);
  writeFileSync(join(dir, 'bad-list.txt'), 'img99.JPEG\n');
  assert.throws(() => loadDataset({ ...spec, select: { list: 'bad-list.txt' } }, dir), /bad-list\.txt:1: 'img99\.JPEG' is not in the dataset/);
});

test('class-subfolder layout maps wnids through synset_words.txt', () => {
  const dir = tempDir();
  for (const [wnid, f] of [['n01443537', 'x.JPEG'], ['n01440764', 'y.JPEG']]) {
    mkdirSync(join(dir, 'train', wnid!), { recursive: true });
    writeFileSync(join(dir, 'train', wnid!, f!), 'x');
  }
  writeFileSync(join(dir, 'synsets.txt'), 'n01440764 tench\nn01443537 goldfish\n');
  const ds = loadDataset({ ...base, images: 'train', synsets: 'synsets.txt' }, dir);
  assert.equal(ds.items.map((i) => [i.name, i.label]), [['n01440764/y.JPEG', 0], ['n01443537/x.JPEG', 1]]);
  assert.equal(ds.classNames, ['tench', 'goldfish']);
  mkdirSync(join(dir, 'train', 'n99999999'));
  assert.throws(() => loadDataset({ ...base, images: 'train', synsets: 'synsets.txt' }, dir), /subfolder 'n99999999'/);
});

test('paths: ${VAR} must be set, asset: searches the asset roots, folders must exist', () => {
  delete process.env.INFERGATE_TEST_UNSET;
  assert.throws(() => resolveDataPath('${INFERGATE_TEST_UNSET}/val', '/', 'dataset.images'), /dataset\.images: .*INFERGATE_TEST_UNSET.*not set/);
  process.env.INFERGATE_TEST_SET = '/data';
  assert.is(resolveDataPath('${INFERGATE_TEST_SET}/val', '/', 'dataset.images'), '/data/val');
  assert.throws(() => resolveDataPath('asset:nope/nothing.txt', '/', 'dataset.labels'), /dataset\.labels: 'asset:nope\/nothing\.txt' not found; looked in/);
  assert.throws(() => loadDataset({ ...base, images: 'missing', labels: 'x' }, tempDir()), /dataset\.images: .*missing is not a folder/);
});

test.run();
