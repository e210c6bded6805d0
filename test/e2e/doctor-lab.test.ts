/** `infergate doctor` prints the lab checklist, and --json keeps its keys, adding lab. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { LabCheck } from '../../harness/cli/doctor-lab.js';
import { runCli } from '../helpers.js';

test('doctor prints the checklist and --json keeps its keys, adding lab', () => {
  const r = runCli(['doctor']);
  assert.is(r.code, 0, r.stderr);
  assert.match(r.stdout, /lab machine checklist \(README: Running on a lab machine\)\n {2}mlu370\n {4}(ok|no) {2}NEUWARE_HOME: /);
  assert.match(r.stdout, /\n {2}rdk-x5\n {4}(ok|no) {2}arch: /);
  const json = JSON.parse(runCli(['doctor', '--json']).stdout);
  // doctor --json gained schemaVersion and an overall status (issue 17) before its checks.
  assert.equal(Object.keys(json), ['schemaVersion', 'status', 'checks', 'targets', 'lab']);
  assert.ok(json.lab.some((c: LabCheck) => c.machine === 'rdk-x5' && c.name === 'libdnn'));
});

test.run();
