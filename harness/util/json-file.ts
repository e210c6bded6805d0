/**
 * Reading a JSON file infergate wrote (results, baselines, journal lines) through the zod schema
 * that defines it: any problem is the user's to see, naming the file and the JSON path.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { z } from 'zod';
import { UserError } from '../errors.js';

/** `cases[0].latency.pooled.mean` from a zod issue path. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i ? '.' : ''}${String(p)}`)).join('') || '(top level)';
}

/** The first problem zod found, as `<path>: <message>` (and how many more). */
export function firstIssue(error: z.ZodError): string {
  const first = error.issues[0]!;
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more problem${error.issues.length > 2 ? 's' : ''})` : '';
  return `${jsonPath(first.path)}: ${first.message}${more}`;
}

export interface JsonFileKind {
  /** What the file is, for messages: "results", "baseline". */
  what: string;
  /** How such a file is made, appended to a schema error. */
  madeBy: string;
  schemaVersion: number;
}

/** Parses text as JSON, refuses a newer schemaVersion, then validates with the schema. */
export function parseJsonFile<S extends z.ZodType>(text: string, file: string, schema: S, kind: JsonFileKind): z.output<S> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new UserError(`${kind.what} ${file}: not a ${kind.what} file: the JSON does not parse (${(err as Error).message}).`);
  }
  const version = (raw as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === 'number' && version > kind.schemaVersion) {
    throw new UserError(`${kind.what} ${file} schemaVersion: ${version} is newer than this infergate reads (${kind.schemaVersion}); upgrade infergate to read it.`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new UserError(`${kind.what} ${file} ${firstIssue(parsed.error)}. ${kind.madeBy}`);
  return parsed.data;
}

/** A file infergate wrote beside the results (samples, telemetry), or undefined when absent, unreadable or not of the schema: its reader falls back. */
export function readJsonIfValid<S extends z.ZodType>(file: string, schema: S): z.output<S> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed = schema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
