/**
 * Per-image correctness from a predictions JSONL, packed as bits: what a paired (McNemar) test
 * needs, small enough to commit in a baseline (50,000 images = 8.3 KB of base64 per metric).
 */
import { createHash } from 'node:crypto';
import { readUserFile, UserError } from '../errors.js';

export interface PerImageOutcomes {
  /** sha256 of the image names in file order, newline-joined. */
  imagesSha256: string;
  n: number;
  top1: Uint8Array;
  top5: Uint8Array;
}

function setBit(bits: Uint8Array, i: number): void {
  bits[i >> 3]! |= 1 << (i & 7);
}

export function getBit(bits: Uint8Array, i: number): boolean {
  return ((bits[i >> 3]! >> (i & 7)) & 1) === 1;
}

export function readPerImage(file: string): PerImageOutcomes {
  const text = readUserFile(file, 'predictions');
  const lines = text.split('\n').filter((l) => l.trim());
  const names: string[] = [];
  const top1 = new Uint8Array(Math.ceil(lines.length / 8));
  const top5 = new Uint8Array(Math.ceil(lines.length / 8));
  lines.forEach((line, i) => {
    let row: { image?: unknown; label?: unknown; top5?: unknown };
    try {
      row = JSON.parse(line);
    } catch {
      throw new UserError(`predictions ${file}:${i + 1}: not a JSON line.`);
    }
    if (typeof row.image !== 'string' || typeof row.label !== 'number' || !Array.isArray(row.top5)) {
      throw new UserError(`predictions ${file}:${i + 1}: expected {image, label, top5}.`);
    }
    names.push(row.image);
    if (row.top5[0] === row.label) setBit(top1, i);
    if (row.top5.includes(row.label)) setBit(top5, i);
  });
  return { imagesSha256: createHash('sha256').update(names.join('\n')).digest('hex'), n: names.length, top1, top5 };
}

export function bitsToBase64(bits: Uint8Array): string {
  return Buffer.from(bits).toString('base64');
}

export function bitsFromBase64(text: string): Uint8Array {
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Discordant pairs: b = right before and wrong now, c = wrong before and right now. */
export function discordantPairs(before: Uint8Array, now: Uint8Array, n: number): { b: number; c: number } {
  let b = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const was = getBit(before, i);
    const is = getBit(now, i);
    if (was && !is) b++;
    else if (!was && is) c++;
  }
  return { b, c };
}
