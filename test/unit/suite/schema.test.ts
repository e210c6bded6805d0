import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { SCHEMA_PATH, suiteJsonSchema } from '../../../scripts/gen-schema.js';

test('schema/suite.schema.json is generated from the current zod schema (run `npm run schema`)', () => {
  assert.is(readFileSync(SCHEMA_PATH, 'utf8'), suiteJsonSchema());
});

test('the JSON Schema offers completions for targets and precisions', () => {
  const schema = JSON.parse(suiteJsonSchema());
  assert.ok(schema.properties.targets.items.enum.includes('sim-rdk-x5'));
  assert.ok(schema.properties.precisions.items.enum.includes('qint8_mixed_float16'));
  assert.ok(schema.properties.dataset, 'dataset section present');
});

test.run();
