#!/usr/bin/env node
// Builds the fake vendor SDKs (shared libraries from test/fake-sdk/*/src) and a copy of the native
// addon against them, in a temporary folder keyed by the sources' hash: the production addon in
// native/build never sees a fake. Prints the path of the test addon.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]));
}
// The toolchain stand-ins (hb_mapper, cnmon, mm_run, ...) are not part of the addon: editing them rebuilds nothing.
const toolchain = join(here, 'toolchain');
const sources = [...filesUnder(here).filter((f) => !f.startsWith(toolchain)), ...filesUnder(join(root, 'native', 'src')), join(root, 'native', 'binding.gyp')].sort();
const hash = createHash('sha256');
for (const f of sources) hash.update(f).update(readFileSync(f));
const out = join(process.env.INFERGATE_FAKE_BUILD ?? tmpdir(), `infergate-fake-sdk-${hash.digest('hex').slice(0, 16)}`);
const addon = join(out, 'addon', 'build', 'Release', 'infergate_native.node');

/** A fake library's translation units: every .cc of its src folder. */
const cppFiles = (dir) => readdirSync(dir).filter((f) => f.endsWith('.cc')).sort().map((f) => join(dir, f));

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0) {
    process.stderr.write(`${cmd} ${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}\n`);
    process.exit(1);
  }
}

if (!existsSync(addon)) {
  rmSync(out, { recursive: true, force: true });
  const cxx = process.env.CXX ?? 'g++';
  const strict = ['-Wall', '-Wextra', '-Werror', '-Wswitch-enum'];
  // hbDNN: libdnn.so with our own hb_dnn.h / hb_dnn_status.h / hb_sys.h
  const hb = join(out, 'hbdnn');
  mkdirSync(join(hb, 'lib'), { recursive: true });
  cpSync(join(here, 'hbdnn', 'include'), join(hb, 'include'), { recursive: true });
  run(cxx, ['-std=c++17', ...strict, '-shared', '-fPIC', '-O1', '-I', join(hb, 'include'), '-I', join(here, 'common'), ...cppFiles(join(here, 'hbdnn', 'src')), '-o', join(hb, 'lib', 'libdnn.so'), '-lpthread']);
  // MagicMind: libmagicmind_runtime.so (runtime + cnrt) and an empty libcnrt.so to satisfy -lcnrt
  const nw = join(out, 'neuware');
  mkdirSync(join(nw, 'lib64'), { recursive: true });
  cpSync(join(here, 'neuware', 'include'), join(nw, 'include'), { recursive: true });
  run(cxx, ['-std=c++17', ...strict, '-shared', '-fPIC', '-O1', '-I', join(nw, 'include'), '-I', join(here, 'common'), ...cppFiles(join(here, 'neuware', 'src')), '-o', join(nw, 'lib64', 'libmagicmind_runtime.so'), '-lpthread']);
  run(cxx, ['-shared', '-fPIC', '-x', 'c++', '/dev/null', '-o', join(nw, 'lib64', 'libcnrt.so')]);
  // The addon, from the same sources as production, built against the fakes.
  const addonDir = join(out, 'addon');
  mkdirSync(addonDir, { recursive: true });
  cpSync(join(root, 'native', 'src'), join(addonDir, 'src'), { recursive: true });
  cpSync(join(root, 'native', 'binding.gyp'), join(addonDir, 'binding.gyp'));
  cpSync(join(root, 'native', 'detect-sdk.cjs'), join(addonDir, 'detect-sdk.cjs'));
  const env = { ...process.env, HBDNN_HOME: hb, NEUWARE_HOME: nw, INFERGATE_FAKE_SDK: '1', INFERGATE_NATIVE_DIR: addonDir, NODE_PATH: join(root, 'node_modules') };
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-native.mjs'), '--no-record'], { env, encoding: 'utf8' });
  if (!existsSync(addon)) {
    process.stderr.write(`building the addon against the fake SDKs failed:\n${r.stdout}\n${r.stderr}\n`);
    process.exit(1);
  }
}
process.stdout.write(addon + '\n');
