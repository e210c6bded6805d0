/**
 * Writes the JSON Schemas in schema/ from the zod schemas that define each format: the suite
 * (the input side: what a user types, for editor completion), the files infergate writes and
 * reads back (results.json, baseline files, journal lines), and what each command prints with
 * --json (harness/cli/json-output.ts). `--check` exits 1 when a committed file is stale; the test
 * suite checks the same, so a schema change without `npm run schema` fails CI, not users' installs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { BaselineFileSchema } from '../harness/baseline/schema.js';
import { COMMAND_SCHEMAS } from '../harness/cli/json-output.js';
import { PRECISION_ALIASES, PRECISIONS, RunResultsSchema } from '../harness/core/index.js';
import { knownModelIds } from '../harness/models/registry.js';
import { HistoryReportSchema } from '../harness/history/schema.js';
import { JournalLineSchema } from '../harness/run/journal.js';
import { SuiteSchema } from '../harness/suite/schema.js';
import { targetIds } from '../harness/targets/catalog.js';
import { writeAtomic } from '../harness/util/files.js';
import { packageRoot } from '../harness/util/package-root.js';

type JsonObject = Record<string, any>;

export const SCHEMA_DIR = join(packageRoot(), 'schema');
export const SCHEMA_PATH = join(SCHEMA_DIR, 'suite.schema.json');

/** Names are checked by zod refinements (for friendly errors); editors want them as enums. */
function addCompletions(schema: JsonObject): void {
  const props = schema.properties as JsonObject;
  props.targets.items.enum = targetIds();
  props.precisions.items.enum = [...PRECISIONS, ...Object.keys(PRECISION_ALIASES)];
  props.models.items.anyOf[0].examples = knownModelIds();
}

function render(schema: z.ZodType, name: string, title: string, io: 'input' | 'output', finish?: (s: JsonObject) => void): string {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject;
  finish?.(json);
  json.title = title;
  json.$id = `https://infergate.dev/schema/${name}`;
  return JSON.stringify(json, null, 2) + '\n';
}

export function suiteJsonSchema(): string {
  return render(SuiteSchema, 'suite.schema.json', 'infergate suite', 'input', addCompletions);
}

/** The files infergate writes and reads back, described as they are read (the input side). */
export function schemaFiles(): Record<string, string> {
  return {
    'suite.schema.json': suiteJsonSchema(),
    'results.schema.json': render(RunResultsSchema, 'results.schema.json', 'infergate results.json', 'input'),
    'baseline.schema.json': render(BaselineFileSchema, 'baseline.schema.json', 'infergate baseline file', 'input'),
    'journal-line.schema.json': render(JournalLineSchema, 'journal-line.schema.json', 'infergate journal.jsonl line', 'input'),
    'history.schema.json': render(HistoryReportSchema, 'history.schema.json', 'infergate history --json', 'output'),
  };
}

export function commandSchemaPath(name: string): string {
  return join(SCHEMA_DIR, `${name}.schema.json`);
}

/** What `infergate <command> --json` prints, as JSON Schema (the output side). */
export function commandJsonSchema(name: keyof typeof COMMAND_SCHEMAS): string {
  return render(COMMAND_SCHEMAS[name], `${name}.schema.json`, `infergate ${name.replace('-', ' ')} --json`, 'output');
}

/** Every generated file, its text, and what it describes. */
export function generatedSchemas(): { path: string; text: string; kind: 'file' | 'command' }[] {
  return [
    ...Object.entries(schemaFiles()).map(([name, text]) => ({ path: join(SCHEMA_DIR, name), text, kind: 'file' as const })),
    ...(Object.keys(COMMAND_SCHEMAS) as (keyof typeof COMMAND_SCHEMAS)[]).map((name) => ({ path: commandSchemaPath(name), text: commandJsonSchema(name), kind: 'command' as const })),
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
