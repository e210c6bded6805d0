/**
 * A generated dataset for the fake lab's colour classifier: strongly coloured images (mostly red,
 * green or blue, with noise, of various sizes) labelled by their dominant channel (0 = R, 1 = G,
 * 2 = B), plus a caffe-format labels file and a separate folder of calibration images.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { seededRandom } from '../../harness/util/random.js';

const SIZES = [
  [224, 224],
  [300, 200],
  [180, 260],
  [256, 256],
  [333, 241],
  [97, 150],
];

export interface ColourDataset {
  images: string;
  labels: string;
  calibration: string;
  n: number;
}

async function colourImage(file: string, width: number, height: number, dominant: number, random: () => number): Promise<void> {
  const rgb = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) {
      const base = c === dominant ? 200 : 45;
      rgb[3 * i + c] = Math.max(0, Math.min(255, Math.round(base + (random() - 0.5) * 70)));
    }
  }
  await sharp(rgb, { raw: { width, height, channels: 3 } }).png().toFile(file);
}

/** `count` images cycling R, G, B (or all of `only` when given), and `calibration` more elsewhere. */
export async function makeColourDataset(dir: string, count: number, options: { only?: number; calibration?: number; seed?: number } = {}): Promise<ColourDataset> {
  const random = seededRandom(options.seed ?? 7);
  const images = join(dir, 'images');
  const calibration = join(dir, 'calibration');
  mkdirSync(images, { recursive: true });
  mkdirSync(calibration, { recursive: true });
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const dominant = options.only ?? i % 3;
    const [w, h] = SIZES[i % SIZES.length]!;
    const name = `colour_${String(i).padStart(4, '0')}.png`;
    await colourImage(join(images, name), w!, h!, dominant, random);
    lines.push(`${name} ${dominant}`);
  }
  for (let i = 0; i < (options.calibration ?? 4); i++) await colourImage(join(calibration, `cal_${i}.png`), 240, 200, i % 3, random);
  const labels = join(dir, 'labels.txt');
  writeFileSync(labels, lines.join('\n') + '\n');
  return { images, labels, calibration, n: count };
}
