/**
 * `infergate doctor`'s lab-machine checklist: the README's "Running on a lab machine" steps for
 * an MLU370 host and an RDK X5 board (plus its x86 conversion host), item by item with what was
 * found. Informational: a CPU-only machine fails every item and that is fine.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { findOnPath, magicmindImportable } from '../convert/vendor-run.js';

export type LabMachine = 'mlu370' | 'rdk-x5' | 'rdk-x5 conversion host';

export interface LabCheck {
  machine: LabMachine;
  name: string;
  ok: boolean;
  detail: string;
}

export interface LabEnv {
  env: NodeJS.ProcessEnv;
  arch: string;
  /** Where device nodes are looked for (tests point it elsewhere). */
  devDir: string;
  /** Whether python3 can import magicmind (slow: a Python start-up), injectable for tests. */
  magicmindImportable: () => boolean;
}

const defaults = (): LabEnv => ({ env: process.env, arch: process.arch, devDir: '/dev', magicmindImportable });

function files(root: string, rel: string[]): { ok: boolean; detail: string } {
  const missing = rel.filter((r) => !existsSync(join(root, r)));
  return { ok: missing.length === 0, detail: missing.length ? `missing ${missing.map((r) => join(root, r)).join(', ')}` : rel.map((r) => join(root, r)).join(', ') };
}

function onPath(env: NodeJS.ProcessEnv, tool: string, why: string): { ok: boolean; detail: string } {
  const found = findOnPath(tool, env.PATH ?? '');
  return { ok: Boolean(found), detail: found ?? `not on PATH (${why})` };
}

export function mluChecks(e: LabEnv = defaults()): LabCheck[] {
  const home = e.env.NEUWARE_HOME || '/usr/local/neuware';
  const check = (name: string, r: { ok: boolean; detail: string }): LabCheck => ({ machine: 'mlu370', name, ...r });
  const lib64 = join(home, 'lib64');
  const inLdPath = (e.env.LD_LIBRARY_PATH ?? '').split(':').some((p) => p.replace(/\/+$/, '') === lib64);
  let devices: string[] = [];
  try {
    devices = readdirSync(e.devDir).filter((f) => /^cambricon_dev\d+$/.test(f)).sort();
  } catch {
    // no device folder: reported below
  }
  const python = e.magicmindImportable();
  return [
    check('NEUWARE_HOME', { ok: existsSync(home), detail: `${home}${e.env.NEUWARE_HOME ? '' : ' (default; NEUWARE_HOME is not set)'}${existsSync(home) ? '' : ' does not exist'}` }),
    check('MagicMind and CNRT headers', files(home, ['include/mm_runtime.h', 'include/cnrt.h'])),
    check('MagicMind and CNRT libraries', files(home, ['lib64/libmagicmind_runtime.so', 'lib64/libcnrt.so'])),
    check('LD_LIBRARY_PATH', { ok: inLdPath, detail: `${inLdPath ? 'contains' : 'does not contain'} ${lib64}` }),
    check('cnmon', onPath(e.env, 'cnmon', "the MLU driver's monitor: it shows whether the driver sees the cards")),
    check('MLU devices', { ok: devices.length > 0, detail: devices.length ? devices.map((d) => join(e.devDir, d)).join(', ') : `no ${join(e.devDir, 'cambricon_dev*')} (driver not loaded, or a container without --device)` }),
    check('python3 magicmind', { ok: python, detail: `import magicmind.python.runtime ${python ? 'works' : 'fails'} (the MagicMind converter needs it)` }),
  ];
}

export function rdkChecks(e: LabEnv = defaults()): LabCheck[] {
  const root = e.env.HBDNN_HOME || '/usr';
  const board = (name: string, r: { ok: boolean; detail: string }): LabCheck => ({ machine: 'rdk-x5', name, ...r });
  return [
    board('arch', { ok: e.arch === 'arm64', detail: `${e.arch === 'arm64' ? 'aarch64' : e.arch} (the board is aarch64)` }),
    board('libdnn headers', files(root, ['include/dnn/hb_dnn.h', 'include/dnn/hb_dnn_status.h', 'include/dnn/hb_sys.h'])),
    board('libdnn', files(root, ['lib/libdnn.so'])),
    board('hrt_model_exec', onPath(e.env, 'hrt_model_exec', "the board's model tool, to check a .bin by hand: hrt_model_exec perf")),
    { machine: 'rdk-x5 conversion host', name: 'hb_mapper', ...onPath(e.env, 'hb_mapper', 'OpenExplorer docker on an x86 host; not needed on the board') },
  ];
}

export function labChecks(e: LabEnv = defaults()): LabCheck[] {
  return [...mluChecks(e), ...rdkChecks(e)];
}
