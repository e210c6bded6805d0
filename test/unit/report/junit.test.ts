/** Gate verdicts in JUnit, CSV and the summary. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { compareResults } from '../../../harness/baseline/compare.js';
import { csvExporter } from '../../../harness/report/csv.js';
import { renderJunit } from '../../../harness/report/junit.js';
import { renderSummary } from '../../../harness/report/summary.js';
import { METRIC_IDS } from '../../../harness/core/index.js';
import { measuredBaseline, okCase, results } from '../baseline/fixtures.js';

test('JUnit: one testcase per case x metric, regressions are failures, suite text escaped', () => {
  const base = measuredBaseline(results([okCase()]));
  const r = results([okCase({ qps: 80, mean: 12.5 })]);
  r.suite.name = 'evil<&>"suite';
  r.gate = compareResults(r, [base]);
  const xml = renderJunit(r);
  assert.is((xml.match(/<testcase /g) ?? []).length, r.gate.verdicts.length);
  assert.match(xml, /failures="3"/); // qps, mean and p99
  assert.match(xml, /<failure type="regressed"/);
  assert.match(xml, /evil&lt;&amp;&gt;&quot;suite/);
  assert.not.match(xml, /evil<&>/);
  const csv = csvExporter.render(r);
  // One verdict column per metric, in METRIC_IDS order (device time joined them with issue 16).
  assert.ok(csv.split('\n')[0]!.includes(['verdict', ...METRIC_IDS.map((m) => `verdict_${m.replace('.', '_')}`)].join(',')));
  assert.match(csv.split('\n')[1]!, /,regressed,regressed,regressed,/);
  const md = renderSummary(r);
  assert.match(md, /gate \*\*FAILED\*\*/);
  assert.match(md, /\*\*REGRESSED\*\*/);
});

test.run();
