import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_DIR, SCHEMA_PATH, schemaFiles, suiteJsonSchema } from '../../../scripts/gen-schema.js';

test('schema/suite.schema.json is generated from the current zod schema (run `npm run schema`)', () => {
  assert.is(readFileSync(SCHEMA_PATH, 'utf8'), suiteJsonSchema());
});

test('the JSON Schema offers completions for targets and precisions', () => {
  const schema = JSON.parse(suiteJsonSchema());
  assert.ok(schema.properties.targets.items.enum.includes('sim-rdk-x5'));
  assert.ok(schema.properties.precisions.items.enum.includes('qint8_mixed_float16'));
  assert.ok(schema.properties.dataset, 'dataset section present');
});

test('every file format has its JSON Schema in schema/, generated from its zod schema', () => {
  const files = schemaFiles();
  assert.equal(Object.keys(files).sort(), ['baseline.schema.json', 'history.schema.json', 'journal-line.schema.json', 'results.schema.json', 'suite.schema.json']);
  for (const [name, text] of Object.entries(files)) assert.is(readFileSync(join(SCHEMA_DIR, name), 'utf8'), text, `schema/${name} is stale: run npm run schema`);
  const results = JSON.parse(files['results.schema.json']!);
  assert.ok(results.properties.cases.items.properties.latency, 'cases carry latency');
});

test.run();
