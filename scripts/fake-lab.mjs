#!/usr/bin/env node
// The fake lab: `npm run fake-lab -- <infergate arguments>` runs the real CLI with every vendor
// path exercised on a machine without boards:
//  - the native addon built against infergate's fake vendor SDKs (test/fake-sdk/build.mjs, in a
//    temporary folder; native/build is never touched), through INFERGATE_NATIVE_ADDON;
//  - stand-ins for hb_mapper (on PATH) and the MagicMind Python builder (on PYTHONPATH) from
//    test/fake-sdk/toolchain, so `run` and `convert` go through the real generated build files;
//  - both fake runtimes as a colour classifier (FAKE_SDK_COLOUR=1, see test/fake-sdk/common);
//  - its own artifact cache (fake artifacts never land in a real cache);
//  - stand-ins for the telemetry and peer tools (cnmon, hrut_somstatus, mm_run, hrt_model_exec,
//    on PATH from the same folder), and a sysfs fixture root (INFERGATE_SYSFS_ROOT) whose
//    sys/devices/system/bpu/bpu0 holds a fake BPU ratio and devfreq node while the host's own
//    cpufreq, thermal and hwmon folders are linked in, so host telemetry stays this machine's.
// Every result of these targets says FAKE SDK (fakeSdk: true) and is never compared with a
// hardware baseline. Test doubles only: nothing here ships.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
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

/** The fake RDK X5's sysfs: a BPU at 88% on one core at 1 GHz of 1 GHz; the host's own folders linked beside it. */
function fakeSysfs() {
  const root = mkdtempSync(join(tmpdir(), 'infergate-fake-sysfs-'));
  const bpu = join(root, 'sys', 'devices', 'system', 'bpu', 'bpu0');
  mkdirSync(join(bpu, 'devfreq', 'devfreq0'), { recursive: true });
  writeFileSync(join(bpu, 'ratio'), '88\n');
  writeFileSync(join(bpu, 'devfreq', 'devfreq0', 'cur_freq'), '1000000000\n');
  writeFileSync(join(bpu, 'devfreq', 'devfreq0', 'max_freq'), '1000000000\n');
  mkdirSync(join(root, 'sys', 'class'), { recursive: true });
  for (const rel of ['devices/system/cpu', 'class/thermal', 'class/hwmon']) {
    if (existsSync(join('/sys', rel))) symlinkSync(join('/sys', rel), join(root, 'sys', rel));
  }
  return root;
}
const sysfs = process.env.INFERGATE_SYSFS_ROOT ? undefined : fakeSysfs();
const env = {
  ...process.env,
  INFERGATE_NATIVE_ADDON: addon,
  INFERGATE_CACHE: process.env.INFERGATE_FAKE_LAB_CACHE ?? join(tmpdir(), 'infergate-fake-lab-cache'),
  PATH: [join(toolchain, 'bin'), process.env.PATH ?? ''].join(delimiter),
  PYTHONPATH: [join(toolchain, 'python'), process.env.PYTHONPATH ?? ''].filter(Boolean).join(delimiter),
  FAKE_SDK_COLOUR: process.env.FAKE_SDK_COLOUR ?? '1',
  ...(sysfs ? { INFERGATE_SYSFS_ROOT: sysfs } : {}),
};
process.stderr.write(
  `fake-lab: FAKE SDK mode: addon ${addon}, fake hb_mapper and MagicMind builder, fake cnmon/hrut_somstatus/mm_run/hrt_model_exec, sysfs root ${env.INFERGATE_SYSFS_ROOT}, cache ${env.INFERGATE_CACHE}; results say FAKE SDK\n`,
);
const r = spawnSync(process.execPath, [join(root, 'bin', 'infergate.js'), ...process.argv.slice(2)], { stdio: 'inherit', env });
if (sysfs) rmSync(sysfs, { recursive: true, force: true });
process.exit(r.status ?? 3);
