/** Reading results.json back (compare, baseline update, reproduce): a newer schema is refused, not misread. */
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { RESULTS_SCHEMA_VERSION, type LoadedResults, type RunResults } from '../core/index.js';
import { readUserFile, UserError } from '../errors.js';

/** Just enough structure to read safely: a results file from a newer schema is refused, not misread. */
const ResultsShape = z.looseObject({
  schemaVersion: z.int().min(1),
  runId: z.string(),
  suite: z.looseObject({ name: z.string() }),
  env: z.looseObject({ machineClass: z.string() }),
  cases: z.array(
    z.looseObject({
      id: z.string(),
      key: z.looseObject({ model: z.string(), target: z.string(), precision: z.string(), batch: z.int(), threads: z.int() }),
      status: z.enum(['ok', 'failed', 'unavailable', 'skipped']),
      simulated: z.boolean(),
      target: z.looseObject({ id: z.string(), backend: z.string() }),
    }),
  ),
});

/** Reads results.json, given the file or its run directory. */
export function readResults(path: string): LoadedResults {
  const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'results.json') : path;
  const text = readUserFile(file, 'results', 'give a results.json or the run directory holding it');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UserError(`results ${file}: not a results file: the JSON does not parse (${(err as Error).message}).`);
  }
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > RESULTS_SCHEMA_VERSION) {
    throw new UserError(`results ${file} schemaVersion: ${version} is newer than this infergate reads (${RESULTS_SCHEMA_VERSION}); upgrade infergate to read it.`);
  }
  const parsed = ResultsShape.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0]!;
    const where = first.path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || '(top level)';
    throw new UserError(`results ${file} ${where}: ${first.message}. Is this a results.json written by 'infergate run'?`);
  }
  return { file, dir: dirname(file), results: raw as RunResults };
}
