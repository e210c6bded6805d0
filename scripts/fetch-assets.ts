/**
 * npm run assets — fetch the official model files (ONNX model zoo) into the user cache's asset
 * folder, verifying each against its pinned sha256. Files already present anywhere on the
 * asset path are left alone. Without network it says so and exits 3; nothing half-written stays.
 */
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { cacheDir, findAsset, sha256File } from '../harness/models/assets.js';
import { MODELS } from '../harness/models/registry.js';

const args = process.argv.slice(2);
const toIndex = args.indexOf('--to');
const dest = toIndex >= 0 ? resolve(args[toIndex + 1]!) : join(cacheDir(), 'assets');
const only = args.filter((a, i) => !a.startsWith('--') && args[i - 1] !== '--to');

let failures = 0;
for (const m of MODELS) {
  if (!m.url || (only.length && !only.includes(m.id))) continue;
  const existing = findAsset(m.assetPath);
  if (existing) {
    console.log(`${m.id}: present at ${existing}`);
    continue;
  }
  const target = join(dest, m.assetPath);
  const tmp = `${target}.${process.pid}.part`;
  mkdirSync(dirname(target), { recursive: true });
  try {
    console.log(`${m.id}: fetching ${m.url}`);
    const response = await fetch(m.url, { redirect: 'follow', signal: AbortSignal.timeout(600_000) });
    if (!response.ok || !response.body) throw new Error(`HTTP ${response.status} ${response.statusText}`);
    await pipeline(Readable.fromWeb(response.body as import('node:stream/web').ReadableStream), createWriteStream(tmp));
    const sha = await sha256File(tmp);
    if (sha !== m.sha256) throw new Error(`sha256 ${sha} does not match the pinned ${m.sha256}`);
    renameSync(tmp, target);
    console.log(`${m.id}: ok, ${target}`);
  } catch (err) {
    failures++;
    if (existsSync(tmp)) rmSync(tmp);
    const cause = (err as { cause?: { code?: string } }).cause?.code;
    console.error(`${m.id}: could not fetch (${cause ?? (err as Error).message}). Without network, copy ${m.assetPath.split('/').pop()} into a folder named by INFERGATE_ASSETS (as ${m.assetPath}).`);
  }
}
process.exit(failures ? 3 : 0);
