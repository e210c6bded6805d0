#!/usr/bin/env node
// The fake lab: `npm run fake-lab -- <infergate arguments>` runs the real CLI with every vendor
// path exercised on a machine without boards:
//  - the native addon built against infergate's fake vendor SDKs (test/fake-sdk/build.mjs, in a
//    temporary folder; native/build is never touched), through INFERGATE_NATIVE_ADDON;
//  - stand-ins for hb_mapper (on PATH) and the MagicMind Python builder (on PYTHONPATH) from
//    test/fake-sdk/toolchain, so `run` and `convert` go through the real generated build files;
//  - both fake runtimes as a colour classifier (FAKE_SDK_COLOUR=1, see test/fake-sdk/common);
//  - its own artifact cache (fake artifacts never land in a real cache).
// Every result of these targets says FAKE SDK (fakeSdk: true) and is never compared with a
// hardware baseline. Test doubles only: nothing here ships.
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const toolchain = join(root, 'test', 'fake-sdk', 'toolchain');

const build = spawnSync(process.execPath, [join(root, 'test', 'fake-sdk', 'build.mjs')], { encoding: 'utf8' });
if (build.status !== 0) {
  process.stderr.write(`fake-lab: building the addon against the fake SDKs failed:\n${build.stderr}\n`);
  process.exit(3);
}
const addon = build.stdout.trim();
const env = {
  ...process.env,
  INFERGATE_NATIVE_ADDON: addon,
  INFERGATE_CACHE: process.env.INFERGATE_FAKE_LAB_CACHE ?? join(tmpdir(), 'infergate-fake-lab-cache'),
  PATH: [join(toolchain, 'bin'), process.env.PATH ?? ''].join(delimiter),
  PYTHONPATH: [join(toolchain, 'python'), process.env.PYTHONPATH ?? ''].filter(Boolean).join(delimiter),
  FAKE_SDK_COLOUR: process.env.FAKE_SDK_COLOUR ?? '1',
};
process.stderr.write(`fake-lab: FAKE SDK mode: addon ${addon}, fake hb_mapper and MagicMind builder, cache ${env.INFERGATE_CACHE}; results say FAKE SDK\n`);
const r = spawnSync(process.execPath, [join(root, 'bin', 'infergate.js'), ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(r.status ?? 3);
