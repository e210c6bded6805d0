/**
 * `run --shard K/N`: the K-th of N parts of a suite's cases, so a CI matrix spreads one big suite
 * over boards of the same kind. Round-robin over the expanded order: every case lands in exactly
 * one shard, shard sizes differ by at most one, and neighbouring cells (the batch sizes of one
 * model, say) go to different boards instead of one board taking a whole slow model.
 */
import type { Shard } from '../core/index.js';
import { UserError } from '../errors.js';

/** "2/5" -> { index: 2, count: 5 }; anything else is the user's to fix, said with the flag. */
export function parseShard(text: string, flag = '--shard'): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index < 1 || index > count) {
    throw new UserError(`${flag} ${text}: expected K/N with 1 <= K <= N (e.g. --shard 2/5 runs the second of five parts of the suite).`);
  }
  return { index, count };
}

/** The cases of one shard, in suite order. */
export function shardCases<T>(cases: readonly T[], shard: Shard): T[] {
  return cases.filter((_, i) => i % shard.count === shard.index - 1);
}

/** Shard selection with the user-facing check: an empty shard is a CI matrix wider than the suite. */
export function selectShard<T>(cases: readonly T[], shard: Shard | undefined, suiteName: string): T[] {
  if (!shard) return [...cases];
  const picked = shardCases(cases, shard);
  if (!picked.length) {
    throw new UserError(`--shard ${shard.index}/${shard.count}: suite '${suiteName}' has only ${cases.length} case${cases.length === 1 ? '' : 's'}, so shard ${shard.index} would be empty; use at most ${cases.length} shards.`);
  }
  return picked;
}

export function shardTag(shard: Shard): string {
  return `s${shard.index}of${shard.count}`;
}
