/** Exit-code policy of a run. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { GateReport } from '../../../harness/core/index.js';
import { combinedExitCode } from '../../../harness/run/exit-code.js';

test('exit codes: an interrupted or failed run outranks a regression', () => {
  const reg = { exitCode: 1 } as GateReport;
  assert.is(combinedExitCode(0, reg), 1);
  assert.is(combinedExitCode(0, { exitCode: 0 } as GateReport), 0);
  assert.is(combinedExitCode(3, reg), 3);
  assert.is(combinedExitCode(2, reg), 2);
  assert.is(combinedExitCode(130, reg), 130);
});

test.run();
