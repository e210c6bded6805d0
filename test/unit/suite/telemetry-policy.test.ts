/** measure.telemetry in suites: on by default at 200 ms, an interval per suite or case, false turns it off, too short is refused. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { UserError } from '../../../harness/errors.js';
import { checkSuite, expandSuite } from '../../../harness/suite/expand.js';
import { parseSuite } from '../../../harness/suite/load.js';

const load = (extra: string) => parseSuite(`name: t\nmodels: [resnet18-v1-7]\ntargets: [ort-cpu]\nthreads: [1, 2]\n${extra}`, 'suites/t.yaml', checkSuite);

test('telemetry: default on at 200 ms; an interval; false; per case in include', () => {
  assert.equal(expandSuite(load('').suite).cases[0]!.measure.telemetry, { interval: 0.2 });
  assert.equal(expandSuite(load('measure: { telemetry: { interval: 500ms } }\n').suite).cases[0]!.measure.telemetry, { interval: 0.5 });
  assert.is(expandSuite(load('measure: { telemetry: false }\n').suite).cases[1]!.measure.telemetry, false);
  const inc = expandSuite(load('include: [{ model: resnet18-v1-7, target: ort-cpu, batch: 4, threads: 1, measure: { telemetry: false } }]\n').suite).cases;
  assert.equal(inc.map((c) => c.measure.telemetry), [{ interval: 0.2 }, { interval: 0.2 }, false]);
});

test('telemetry: an interval under 50 ms is an error naming the field', () => {
  try {
    load('measure: { telemetry: { interval: 10ms } }\n');
    assert.unreachable('should have been refused');
  } catch (err) {
    assert.instance(err, UserError);
    assert.match((err as Error).message, /measure\.telemetry.*at least 50ms/);
  }
});

test.run();
