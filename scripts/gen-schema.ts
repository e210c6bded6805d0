/**
 * Writes the JSON Schemas in schema/ from the zod schemas that define each format: the suite
 * (the input side: what a user types, for editor completion), and the files infergate writes and
 * reads back (results.json, baseline files, journal lines). `--check` exits 1 when a committed
 * file is stale; the test suite checks the same, so a schema change without `npm run schema`
 * fails CI, not users' installs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { BaselineFileSchema } from '../harness/baseline/schema.js';
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

/** Every schema file: name -> its text. Files infergate reads back are described as they are read (input side). */
export function schemaFiles(): Record<string, string> {
  return {
    'suite.schema.json': suiteJsonSchema(),
    'results.schema.json': render(RunResultsSchema, 'results.schema.json', 'infergate results.json', 'input'),
    'baseline.schema.json': render(BaselineFileSchema, 'baseline.schema.json', 'infergate baseline file', 'input'),
    'journal-line.schema.json': render(JournalLineSchema, 'journal-line.schema.json', 'infergate journal.jsonl line', 'input'),
    'history.schema.json': render(HistoryReportSchema, 'history.schema.json', 'infergate history --json', 'output'),
  };
}

function main(): void {
  const files = schemaFiles();
  if (process.argv.includes('--check')) {
    const stale = Object.entries(files).filter(([name, text]) => {
      try {
        return readFileSync(join(SCHEMA_DIR, name), 'utf8') !== text;
      } catch {
        return true; // missing counts as stale
      }
    });
    if (stale.length) {
      process.stderr.write(`schema/${stale.map(([n]) => n).join(', schema/')} out of date with the zod schemas: run 'npm run schema' and commit.\n`);
      process.exit(1);
    }
    return;
  }
  for (const [name, text] of Object.entries(files)) {
    writeAtomic(join(SCHEMA_DIR, name), text);
    process.stdout.write(`wrote ${join(SCHEMA_DIR, name)}\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
