/**
 * Writes schema/suite.schema.json from the zod suite schema (the input side: what a user types),
 * for editor completion, and schema/<command>.schema.json for what each command prints with
 * --json (the output side), from the zod schemas in harness/cli/json-output.ts. `--check` exits 1 when the committed file is stale; the test suite
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
import { COMMAND_SCHEMAS } from '../harness/cli/json-output.js';
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

export function commandSchemaPath(name: string): string {
  return join(packageRoot(), 'schema', `${name}.schema.json`);
}

/** What `infergate <command> --json` prints, as JSON Schema (the output side). */
export function commandJsonSchema(name: keyof typeof COMMAND_SCHEMAS): string {
  const schema = z.toJSONSchema(COMMAND_SCHEMAS[name], { io: 'output', unrepresentable: 'any' }) as JsonObject;
  schema.title = `infergate ${name.replace('-', ' ')} --json`;
  schema.$id = `https://infergate.dev/schema/${name}.schema.json`;
  return JSON.stringify(schema, null, 2) + '\n';
}

/** Every generated file and its text. */
export function generatedSchemas(): { path: string; text: string }[] {
  return [
    { path: SCHEMA_PATH, text: suiteJsonSchema() },
    ...(Object.keys(COMMAND_SCHEMAS) as (keyof typeof COMMAND_SCHEMAS)[]).map((name) => ({ path: commandSchemaPath(name), text: commandJsonSchema(name) })),
  ];
}

function main(): void {
  const check = process.argv.includes('--check');
  let stale = 0;
  for (const { path, text } of generatedSchemas()) {
    if (!check) {
      writeAtomic(path, text);
      process.stdout.write(`wrote ${path}\n`);
      continue;
    }
    let current = '';
    try {
      current = readFileSync(path, 'utf8');
    } catch {
      /* missing counts as stale */
    }
    if (current !== text) {
      stale++;
      process.stderr.write(`${path} is out of date with its zod schema: run 'npm run schema' and commit it.\n`);
    }
  }
  if (stale) process.exit(1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
