/** `infergate doctor`'s lab-machine checklist: each item reports what it found, from a staged machine. */
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { labChecks, type LabCheck } from '../../../harness/cli/doctor-lab.js';
import { tempDir } from '../../helpers.js';

function touch(root: string, ...rels: string[]): void {
  for (const rel of rels) {
    mkdirSync(join(root, rel, '..'), { recursive: true });
    writeFileSync(join(root, rel), '');
  }
}
const byName = (checks: LabCheck[]) => Object.fromEntries(checks.map((c) => [`${c.machine}/${c.name}`, c]));

test('lab checklist: a staged MLU370 host and RDK X5 board pass item by item, and say what they found', () => {
  const neuware = tempDir();
  touch(neuware, 'include/mm_runtime.h', 'include/cnrt.h', 'lib64/libmagicmind_runtime.so', 'lib64/libcnrt.so');
  const hb = tempDir();
  touch(hb, 'include/dnn/hb_dnn.h', 'include/dnn/hb_dnn_status.h', 'include/dnn/hb_sys.h', 'lib/libdnn.so');
  const bin = tempDir();
  for (const tool of ['cnmon', 'hrt_model_exec', 'hb_mapper']) {
    writeFileSync(join(bin, tool), '#!/bin/sh\n');
    chmodSync(join(bin, tool), 0o755);
  }
  const dev = tempDir();
  touch(dev, 'cambricon_dev0', 'cambricon_dev1', 'cambricon_ctl');
  const env = { NEUWARE_HOME: neuware, HBDNN_HOME: hb, PATH: bin, LD_LIBRARY_PATH: `/opt/x:${neuware}/lib64/` };
  const c = byName(labChecks({ env, arch: 'arm64', devDir: dev, magicmindImportable: () => true }));
  for (const item of Object.values(c)) assert.ok(item.ok, `${item.machine}/${item.name}: ${item.detail}`);
  assert.is(c['mlu370/MLU devices']!.detail, `${join(dev, 'cambricon_dev0')}, ${join(dev, 'cambricon_dev1')}`);
  assert.is(c['mlu370/cnmon']!.detail, join(bin, 'cnmon'));
  assert.match(c['rdk-x5/libdnn headers']!.detail, /hb_dnn_status\.h/);
  assert.is(c['rdk-x5/arch']!.detail, 'aarch64 (the board is aarch64)');
});

test('lab checklist: each missing piece is named', () => {
  const neuware = tempDir();
  touch(neuware, 'include/mm_runtime.h');
  const hb = tempDir();
  touch(hb, 'include/dnn/hb_dnn.h', 'include/dnn/hb_sys.h');
  const env = { NEUWARE_HOME: neuware, HBDNN_HOME: hb, PATH: tempDir(), LD_LIBRARY_PATH: '' };
  const c = byName(labChecks({ env, arch: 'x64', devDir: tempDir(), magicmindImportable: () => false }));
  assert.ok(c['mlu370/NEUWARE_HOME']!.ok, 'the folder exists; what it lacks is reported below');
  for (const item of Object.values(c)) if (item.name !== 'NEUWARE_HOME') assert.not.ok(item.ok, `${item.machine}/${item.name}: ${item.detail}`);
  assert.is(c['mlu370/MagicMind and CNRT headers']!.detail, `missing ${join(neuware, 'include/cnrt.h')}`);
  assert.is(c['mlu370/LD_LIBRARY_PATH']!.detail, `does not contain ${join(neuware, 'lib64')}`);
  assert.is(c['rdk-x5/libdnn headers']!.detail, `missing ${join(hb, 'include/dnn/hb_dnn_status.h')}`);
  assert.match(c['rdk-x5 conversion host/hb_mapper']!.detail, /not on PATH \(OpenExplorer docker on an x86 host/);
  assert.match(c['mlu370/python3 magicmind']!.detail, /fails/);
});

test.run();
