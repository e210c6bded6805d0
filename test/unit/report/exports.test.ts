/** --export formats: Bencher Metric Format against Bencher's schema, CSV units, Markdown escaping. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { z } from 'zod';
import { parseExports } from '../../../harness/cli/exports.js';
import { UserError } from '../../../harness/errors.js';
import { renderBmf } from '../../../harness/report/bmf.js';
import { csvExporter } from '../../../harness/report/csv.js';
import { mdEscape } from '../../../harness/report/format.js';
import { okCase, results } from '../baseline/fixtures.js';

/**
 * Bencher Metric Format as Bencher documents it (bencher.dev, "Bencher Metric Format"): an object
 * of benchmark names, each an object of measure slugs, each { value, lower_value?, upper_value? }
 * with numbers; nothing else.
 */
const BMF_JSON_SCHEMA = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  title: 'Bencher Metric Format',
  type: 'object',
  additionalProperties: {
    type: 'object',
    additionalProperties: {
      type: 'object',
      properties: { value: { type: 'number' }, lower_value: { type: 'number' }, upper_value: { type: 'number' } },
      required: ['value'],
      additionalProperties: false,
    },
  },
};
const Bmf = z.fromJSONSchema(BMF_JSON_SCHEMA as Parameters<typeof z.fromJSONSchema>[0]);

test('bmf: validates against the BMF schema; latency in ns with 95% bounds, throughput, top1', () => {
  const withTop1 = okCase({ accuracy: { status: 'ok', n: 100, top1: { correct: 63, value: 0.63, ci95: [0.53, 0.72] }, top5: { correct: 87, value: 0.87, ci95: [0.79, 0.92] } } });
  const sim = okCase({ key: { model: 'resnet50-v1-7', target: 'sim-mlu370-s4', precision: 'force_float32', batch: 1, threads: 1 } });
  const invalid = okCase({ key: { model: 'm', target: 'ort-cpu', precision: 'force_float32', batch: 2, threads: 1 }, validity: { valid: false, warnings: [{ code: 'too-few-samples', message: 'x' }] } });
  const failed = { ...okCase({ key: { model: 'f', target: 'ort-cpu', precision: 'force_float32', batch: 1, threads: 1 } }), status: 'failed' as const };
  const text = renderBmf(results([withTop1, sim, invalid, failed]));
  const bmf = JSON.parse(text);
  assert.ok(Bmf.safeParse(bmf).success, JSON.stringify(Bmf.safeParse(bmf).error?.issues));
  assert.not.ok(Bmf.safeParse({ a: { latency: { value: '1' } } }).success, 'the schema refuses a string value');
  const m = bmf['resnet18-v1-7/ort-cpu/force_float32/b1/t1'];
  assert.is(m.latency.value, 10 * 1e6, 'mean latency 10 ms = 1e7 ns');
  assert.ok(m.latency.lower_value < m.latency.value && m.latency.value < m.latency.upper_value);
  assert.is(m.throughput.value, 100);
  assert.ok(m.throughput.lower_value < 100 && m.throughput.upper_value > 100);
  assert.equal(m.top1, { value: 0.63, lower_value: 0.53, upper_value: 0.72 });
  assert.ok(bmf['resnet50-v1-7/sim-mlu370-s4/force_float32/b1/t1 SIMULATED'], 'a simulated case says so in its name');
  assert.is(bmf['m/ort-cpu/force_float32/b2/t1'], undefined, 'an invalid measurement exports no speed');
  assert.is(Object.keys(bmf).length, 2);
});

test('--export: FORMAT or FORMAT=PATH; an unknown format is bad input naming the flag', () => {
  const parsed = parseExports(['bmf', 'csv=out/x.csv']);
  assert.is(parsed[0]!.format, 'bmf');
  assert.is(parsed[0]!.path, undefined);
  assert.match(parsed[1]!.path!, /\/out\/x\.csv$/);
  assert.throws(() => parseExports(['xlsx']), (e: Error) => e instanceof UserError && /--export xlsx: unknown format 'xlsx' \(known: json, csv, md, html, junit, bmf\)/.test(e.message));
  assert.throws(() => parseExports(['csv=']), (e: Error) => e instanceof UserError);
});

test('csv: units in the headers, CV in percent, warnings joined by ;, timestamp, host, the board of a simulated case', () => {
  const c = okCase({ validity: { valid: true, warnings: [{ code: 'drift', message: 'a b' }, { code: 'high-cv', message: 'c d' }] }, startedAt: '2026-11-22T00:00:05.000Z' });
  const sim = okCase({ key: { model: 'resnet50-v1-7', target: 'sim-mlu370-s4', precision: 'force_float32', batch: 1, threads: 1 } });
  const [header, row, simRow] = csvExporter.render(results([c, sim])).trim().split('\n');
  const cols = header!.split(',');
  for (const h of ['qps_img_per_s', 'latency_mean_ms', 'latency_p99_ms', 'latency_cv_percent', 'top1_percent', 'started_at', 'host', 'machine_class']) assert.ok(cols.includes(h), h);
  assert.not.ok(cols.includes('qps'));
  const cell = (line: string, name: string) => line.split(',')[cols.indexOf(name)];
  assert.is(cell(row!, 'latency_cv_percent'), '1');
  assert.is(cell(row!, 'warnings'), 'drift;high-cv');
  assert.is(cell(row!, 'started_at'), '2026-11-22T00:00:05.000Z');
  assert.is(cell(row!, 'host'), 'h');
  assert.is(cell(row!, 'machine_class'), 'ort-cpu@Test-2c');
  assert.is(cell(simRow!, 'machine_class'), 'sim-mlu370-s4', 'the simulated board, as its baseline entry says');
});

test('Markdown escaping: words and parentheses stay as they are; links, tables and HTML are neutralised', () => {
  assert.is(mdEscape('force_float32 (thermal, frequency?)'), 'force_float32 (thermal, frequency?)');
  assert.is(mdEscape('a | b\nc'), 'a \\| b c');
  assert.is(mdEscape('<b>x</b>'), '\\<b\\>x\\</b\\>');
  assert.is(mdEscape('[x](javascript:alert(1))'), '\\[x\\](javascript:alert(1))');
  assert.is(mdEscape('_em_ and *strong* `code`'), '\\_em\\_ and \\*strong\\* \\`code\\`');
  assert.is(mdEscape('# not a heading'), '\\# not a heading');
});

test.run();
