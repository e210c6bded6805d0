/**
 * Writes schema/suite.schema.json from the zod suite schema (the input side: what a user types),
 * for editor completion. `--check` fails the build when the committed file is stale.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { packageRoot } from '../harness/models/assets.js';
import { writeAtomic } from '../harness/report/write.js';
import { SuiteSchema } from '../harness/suite/schema.js';
import { knownModelIds } from '../harness/models/registry.js';
import { PRECISION_ALIASES, PRECISIONS, targetIds } from '../harness/targets/catalog.js';

type JsonObject = Record<string, any>;

/** Names are checked by zod refinements (for friendly errors); editors want them as enums. */
function addCompletions(schema: JsonObject): void {
  const props = schema.properties as JsonObject;
  props.targets.items.enum = targetIds();
  props.precisions.items.enum = [...PRECISIONS, ...Object.keys(PRECISION_ALIASES)];
  props.models.items.anyOf[0].examples = knownModelIds();
}

export function suiteJsonSchema(): string {
  const schema = z.toJSONSchema(SuiteSchema, { io: 'input', unrepresentable: 'any' }) as JsonObject;
  addCompletions(schema);
  schema.title = 'infergate suite';
  schema.$id = 'https://infergate.dev/schema/suite.schema.json';
  return JSON.stringify(schema, null, 2) + '\n';
}

const path = join(packageRoot(), 'schema', 'suite.schema.json');
const text = suiteJsonSchema();
if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    /* missing: stale */
  }
  if (current !== text) {
    process.stderr.write(`schema/suite.schema.json is out of date with harness/suite/schema.ts: run 'npm run schema' and commit it.\n`);
    process.exit(1);
  }
} else {
  writeAtomic(path, text);
  process.stdout.write(`wrote ${path}\n`);
}
