#!/usr/bin/env node
// Builds the native addon at `npm ci` (node-gyp, g++, offline: no prebuilt download). A failed
// build never fails the install: onnxruntime targets work without the addon, and the reason is
// kept in native/build/BUILD_FAILED.txt for `infergate doctor`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const failedFile = join(nativeDir, 'build', 'BUILD_FAILED.txt');

function nodeGypPath() {
  if (process.env.npm_config_node_gyp && existsSync(process.env.npm_config_node_gyp)) return process.env.npm_config_node_gyp;
  // npm ships node-gyp; find it next to the npm that runs us.
  try {
    const npmRoot = dirname(createRequire(import.meta.url).resolve('npm/package.json'));
    return join(npmRoot, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
  } catch {
    const guess = join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    return guess;
  }
}

/** Node's own headers where this Node is installed: building against them needs no download. */
function localNodeDir() {
  if (process.env.npm_config_nodedir) return process.env.npm_config_nodedir;
  const prefix = join(dirname(process.execPath), '..');
  return existsSync(join(prefix, 'include', 'node', 'node_api.h')) ? prefix : undefined;
}

if (!process.argv.includes('--no-record') && existsSync(failedFile)) rmSync(failedFile);
const gyp = nodeGypPath();
const nodedir = localNodeDir();
// --no-record: a build elsewhere (the fake-SDK test build) must not touch native/build's record.
const record = !process.argv.includes('--no-record');
const args = [gyp, 'rebuild', '--jobs=max', ...(nodedir ? [`--nodedir=${nodedir}`] : [])];
const r = spawnSync(process.execPath, args, { cwd: process.env.INFERGATE_NATIVE_DIR ?? nativeDir, encoding: 'utf8', env: process.env });
if (r.status === 0) {
  process.stdout.write('infergate: native addon built (native/build/Release/infergate_native.node)\n');
} else if (!record) {
  process.stderr.write(`${r.stdout ?? ''}\n${r.stderr ?? ''}\n`);
  process.exit(1);
} else {
  mkdirSync(dirname(failedFile), { recursive: true });
  const tail = `${r.stdout ?? ''}\n${r.stderr ?? ''}${r.error ? `\n${r.error.message}` : ''}`.trim().split('\n').slice(-30).join('\n');
  writeFileSync(failedFile, tail + '\n');
  process.stderr.write(`infergate: the native addon did not build (sim and vendor targets will be unavailable; 'infergate doctor' says why). Last lines:\n${tail}\n`);
}
