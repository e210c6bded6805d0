/** Reading results.json back (compare, baseline update, reproduce), validated by the schema that defines it. */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RESULTS_SCHEMA_VERSION, RunResultsSchema, type LoadedResults } from '../core/index.js';
import { readUserFile } from '../errors.js';
import { parseJsonFile } from '../util/json-file.js';

/** Reads results.json, given the file or its run directory. */
export function readResults(path: string): LoadedResults {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'results.json') : path;
  const text = readUserFile(file, 'results', 'give a results.json or the run directory holding it');
  const results = parseJsonFile(text, file, RunResultsSchema, {
    what: 'results',
    madeBy: "Is this a results.json written by 'infergate run'? Its format is schema/results.schema.json.",
    schemaVersion: RESULTS_SCHEMA_VERSION,
  });
  return { file, dir: dirname(file), results };
}
