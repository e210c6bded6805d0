/** schema/<command>.schema.json are generated from the zod schemas: a stale file fails here, not in a user's tooling. */
import { readFileSync } from 'node:fs';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { generatedSchemas } from '../../../scripts/gen-schema.js';

test('every committed schema file equals what npm run schema generates', () => {
  const all = generatedSchemas();
  assert.ok(all.length >= 8, 'the suite and seven commands');
  for (const { path, text } of all) assert.is(readFileSync(path, 'utf8'), text, `${path} is stale: run npm run schema`);
});

test('every output schema requires schemaVersion', () => {
  for (const { path, text } of generatedSchemas().filter((s) => s.kind === 'command')) {
    assert.ok((JSON.parse(text).required as string[]).includes('schemaVersion'), path);
  }
});

test.run();
