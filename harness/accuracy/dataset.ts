/**
 * A dataset for accuracy: image files with ground-truth class indices. Two layouts: a folder of
 * images plus a caffe `val.txt` (`ILSVRC2012_val_00000001.JPEG 65`), or one subfolder per class
 * named by wnid, mapped to indices through `synset_words.txt`. Every problem names the file.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { UserError } from '../errors.js';
import { describeSearch, findAsset } from '../models/assets.js';
import { seededRandom } from '../util/random.js';

export type Selection = 'all' | { first: number } | { random: number; seed: number } | { list: string };

export interface DatasetSpec {
  name?: string;
  images: string;
  labels?: string;
  synsets?: string;
  classes: number;
  select: Selection;
  onError: 'stop' | 'skip';
}

export interface DatasetItem {
  /** Absolute path. */
  file: string;
  /** Name as it appears in the label file (or class/name for subfolders). */
  name: string;
  label: number;
}

export interface Dataset {
  name: string;
  imagesDir: string;
  labelsFile?: string;
  items: DatasetItem[];
  classNames?: string[];
  /** Files left out before evaluation (no label, with onError: skip). */
  skipped: { file: string; reason: string }[];
}

const IMAGE_EXT = /\.(jpe?g|png|webp|bmp|tiff?)$/i;

/**
 * Resolves a dataset path: `asset:<relative>` searches the asset roots, `${VAR}` expands an
 * environment variable, anything else is relative to the suite's folder.
 */
export function resolveDataPath(raw: string, baseDir: string, field: string): string {
  let text = raw;
  const missingVar = /\$\{([A-Z0-9_]+)\}/.exec(text);
  if (missingVar) {
    text = text.replace(/\$\{([A-Z0-9_]+)\}/g, (_, name: string) => {
      const v = process.env[name];
      if (!v) throw new UserError(`${field}: '${raw}' uses \${${name}}, which is not set; point it at the folder (e.g. ${name}=/data/imagenet/val)`);
      return v;
    });
  }
  if (text.startsWith('asset:')) {
    const rel = text.slice('asset:'.length);
    const found = findAsset(rel);
    if (!found) throw new UserError(`${field}: '${raw}' not found; looked in ${describeSearch(rel)}. Set INFERGATE_ASSETS to the folder holding it.`);
    return found;
  }
  return resolve(baseDir, text);
}

/** Parses a caffe label file; every bad line is an error with file:line. */
export function parseCaffeLabels(text: string, file: string, classes: number): Map<string, number> {
  const labels = new Map<string, number>();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line || line.startsWith('#')) continue;
    const m = /^(\S+)\s+(-?\d+)$/.exec(line);
    if (!m) throw new UserError(`${file}:${i + 1}: expected '<image name> <class index>', got '${line.slice(0, 80)}'`);
    const label = Number(m[2]);
    if (label < 0 || label >= classes) throw new UserError(`${file}:${i + 1}: class index ${label} is out of range 0..${classes - 1}`);
    if (labels.has(m[1]!)) throw new UserError(`${file}:${i + 1}: '${m[1]}' is labelled twice`);
    labels.set(m[1]!, label);
  }
  if (labels.size === 0) throw new UserError(`${file}: no labels found`);
  return labels;
}

/** `n01440764 tench, Tinca tinca` per line; line i is class i. */
export function parseSynsets(text: string, file: string): { wnids: string[]; names: string[] } {
  const wnids: string[] = [];
  const names: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line) return;
    const m = /^(n\d{8})\s+(.*)$/.exec(line);
    if (!m) throw new UserError(`${file}:${i + 1}: expected '<wnid> <names>', got '${line.slice(0, 80)}'`);
    wnids.push(m[1]!);
    names.push(m[2]!);
  });
  return { wnids, names };
}

function readText(path: string, field: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new UserError(`${field}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
}

function select(items: DatasetItem[], selection: Selection, baseDir: string): DatasetItem[] {
  if (selection === 'all') return items;
  if ('first' in selection) return items.slice(0, selection.first);
  if ('random' in selection) {
    // Seeded Fisher-Yates, then back to name order so runs read files in a stable order.
    const random = seededRandom(selection.seed);
    const shuffled = [...items];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    return shuffled.slice(0, selection.random).sort((a, b) => a.name.localeCompare(b.name));
  }
  const listFile = resolve(baseDir, selection.list);
  const wanted = readText(listFile, 'dataset.select.list').split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const byName = new Map(items.map((it) => [it.name, it]));
  return wanted.map((name, i) => {
    const it = byName.get(name) ?? byName.get(basename(name));
    if (!it) throw new UserError(`${listFile}:${i + 1}: '${name}' is not in the dataset's images`);
    return it;
  });
}

export function loadDataset(spec: DatasetSpec, baseDir: string): Dataset {
  const imagesDir = resolveDataPath(spec.images, baseDir, 'dataset.images');
  if (!existsSync(imagesDir) || !statSync(imagesDir).isDirectory()) {
    throw new UserError(`dataset.images: ${imagesDir} is not a folder of images`);
  }
  const skipped: Dataset['skipped'] = [];
  let items: DatasetItem[] = [];
  let classNames: string[] | undefined;
  let labelsFile: string | undefined;
  const synsetsFile = spec.synsets ? resolveDataPath(spec.synsets, baseDir, 'dataset.synsets') : undefined;
  const synsets = synsetsFile ? parseSynsets(readText(synsetsFile, 'dataset.synsets'), synsetsFile) : undefined;
  classNames = synsets?.names;

  if (spec.labels) {
    labelsFile = resolveDataPath(spec.labels, baseDir, 'dataset.labels');
    const labels = parseCaffeLabels(readText(labelsFile, 'dataset.labels'), labelsFile, spec.classes);
    const files = readdirSync(imagesDir).filter((f) => IMAGE_EXT.test(f)).sort();
    if (files.length === 0) throw new UserError(`dataset.images: ${imagesDir} has no image files`);
    for (const f of files) {
      const label = labels.get(f);
      if (label === undefined) {
        if (spec.onError === 'stop') throw new UserError(`dataset: image ${join(imagesDir, f)} has no label in ${labelsFile} (set dataset.onError: skip to leave such images out)`);
        skipped.push({ file: join(imagesDir, f), reason: 'no label' });
        continue;
      }
      items.push({ file: join(imagesDir, f), name: f, label });
    }
  } else {
    if (!synsets) throw new UserError('dataset: give labels (a caffe val.txt) or synsets (synset_words.txt) with one subfolder per class');
    const index = new Map(synsets.wnids.map((w, i) => [w, i]));
    const dirs = readdirSync(imagesDir).filter((d) => statSync(join(imagesDir, d)).isDirectory()).sort();
    if (dirs.length === 0) throw new UserError(`dataset.images: ${imagesDir} has no class subfolders (and no labels file was given)`);
    for (const d of dirs) {
      const label = index.get(d);
      if (label === undefined) throw new UserError(`dataset.images: subfolder '${d}' of ${imagesDir} is not a wnid listed in ${synsetsFile}`);
      for (const f of readdirSync(join(imagesDir, d)).filter((x) => IMAGE_EXT.test(x)).sort()) items.push({ file: join(imagesDir, d, f), name: `${d}/${f}`, label });
    }
  }
  items = select(items, spec.select, baseDir);
  if (items.length === 0) throw new UserError(`dataset: the selection leaves no images to evaluate`);
  return { name: spec.name ?? basename(imagesDir), imagesDir, labelsFile, items, classNames, skipped };
}
