/**
 * Writes schema/suite.schema.json from the zod suite schema (the input side: what a user types),
 * for editor completion. `--check` exits 1 when the committed file is stale; the test suite
 * checks the same, so a schema change without `npm run schema` fails CI, not users' installs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { PRECISION_ALIASES, PRECISIONS } from '../harness/core/index.js';
import { knownModelIds } from '../harness/models/registry.js';
import { writeAtomic } from '../harness/util/files.js';
import { packageRoot } from '../harness/util/package-root.js';
import { SuiteSchema } from '../harness/suite/schema.js';
import { targetIds } from '../harness/targets/catalog.js';

type JsonObject = Record<string, any>;

export const SCHEMA_PATH = join(packageRoot(), 'schema', 'suite.schema.json');

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

function main(): void {
  const text = suiteJsonSchema();
  if (process.argv.includes('--check')) {
    let current = '';
    try {
      current = readFileSync(SCHEMA_PATH, 'utf8');
    } catch {
      /* missing counts as stale */
    }
    if (current !== text) {
      process.stderr.write(`schema/suite.schema.json is out of date with harness/suite/schema.ts: run 'npm run schema' and commit it.\n`);
      process.exit(1);
    }
    return;
  }
  writeAtomic(SCHEMA_PATH, text);
  process.stdout.write(`wrote ${SCHEMA_PATH}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
