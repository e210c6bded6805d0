/**
 * Reads a suite file: YAML (safe: no tags that run code, no aliases bombs) -> zod validation ->
 * semantic checks -> Suite. Every problem is reported as `file:line:col path: message`, all of
 * them at once, in one UserError.
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { UserError } from '../errors.js';
import { didYouMean } from './did-you-mean.js';
import { SuiteSchema, type Suite } from './schema.js';

export interface SuiteIssue {
  path: (string | number)[];
  message: string;
  /** Point at the key itself rather than its value (unknown keys). */
  atKey?: string;
}

export interface LoadedSuite {
  suite: Suite;
  /** Absolute path of the file, or a label like `<embedded quickstart>`. */
  file: string;
  /** Folder that relative paths in the suite resolve against. */
  baseDir: string;
  /** The text as read, kept with the results for provenance. */
  text: string;
}

export function formatPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out || '(top level)';
}

function displayName(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel && !rel.startsWith('..') ? rel : file;
}

/** Finds where in the YAML a path points, as 1-based line:column. */
function locate(doc: Document, lc: LineCounter, path: readonly (string | number)[], atKey?: string): string | undefined {
  let node: unknown = doc.contents;
  let last: Node | undefined = doc.contents ?? undefined;
  const steps = atKey === undefined ? path : [...path, atKey];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (isMap(node)) {
      const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(step));
      if (!pair) break;
      const keyNode = pair.key as Node;
      if (atKey !== undefined && i === steps.length - 1) {
        last = keyNode;
        break;
      }
      last = (pair.value as Node | null) ?? keyNode;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step] as Node | undefined;
      if (!item) break;
      last = item;
      node = item;
    } else break;
  }
  const offset = last?.range?.[0];
  if (offset === undefined) return undefined;
  const { line, col } = lc.linePos(offset);
  return `${line}:${col}`;
}

export function zodIssues(error: z.ZodError): SuiteIssue[] {
  const issues: SuiteIssue[] = [];
  for (const issue of error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        issues.push({ path: issue.path as (string | number)[], atKey: key, message: unknownKeyMessage(key, issue.path) });
      }
    } else if (issue.code === 'invalid_union') {
      // A union of "name or object": report the branch that got furthest, not both.
      const branches = (issue as unknown as { errors: z.core.$ZodIssue[][] }).errors;
      const best = [...branches].sort((a, b) => deepest(b) - deepest(a))[0];
      if (best && best.length) {
        for (const sub of best) issues.push(...zodIssues({ issues: [{ ...sub, path: [...issue.path, ...sub.path] }] } as z.ZodError));
      } else issues.push({ path: issue.path as (string | number)[], message: issue.message });
    } else {
      issues.push({ path: issue.path as (string | number)[], message: friendly(issue) });
    }
  }
  return issues;
}

function deepest(issues: readonly z.core.$ZodIssue[]): number {
  // Prefer the branch whose issues are about the content (custom checks, deeper paths) over a
  // branch that merely rejected the type.
  let score = 0;
  for (const i of issues) score = Math.max(score, i.path.length * 2 + (i.code === 'invalid_type' ? 0 : 1));
  return score;
}

function friendly(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    const received = (issue as { input?: unknown }).input;
    if (received === undefined) return `is required (expected ${issue.expected})`;
    return `expected ${issue.expected}, got ${describeValue(received)}`;
  }
  return issue.message;
}

function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return `'${v}' (a string)`;
  if (typeof v === 'object') return 'a mapping';
  return `${String(v)} (a ${typeof v})`;
}

const NESTED_KEYS: Record<string, string[]> = {
  measure: ['warmup', 'minDuration', 'minIterations', 'maxDuration', 'timeout'],
  warmup: ['duration', 'iterations'],
  ort: ['intraOpThreads', 'interOpThreads', 'graphOptimizationLevel', 'executionMode', 'quantize'],
  quantize: ['activations', 'weightBits', 'method', 'percentile'],
  dataset: ['name', 'images', 'labels', 'synsets', 'classes', 'select', 'onError', 'timeout', 'preprocess'],
  preprocess: ['resize', 'kernel', 'crop', 'colour', 'layout', 'dtype', 'scale', 'mean', 'std', 'output'],
  accuracy: ['models'],
  native: ['device', 'bpuCore', 'timeoutMs', 'sim'],
  sim: ['slowdown', 'fail_load', 'fail_after', 'abort_after', 'hang_after', 'jitter', 'seed'],
  calibration: ['images', 'select'],
  gate: ['baseline', 'alpha', 'thresholds', 'failOn', 'confirm'],
  thresholds: ['qps', 'latency.mean', 'latency.p99', 'top1', 'top5'],
};

function unknownKeyMessage(key: string, parentPath: readonly PropertyKey[]): string {
  const parent = parentPath.length ? String(parentPath[parentPath.length - 1]) : '';
  let candidates: string[];
  if (!parentPath.length) candidates = Object.keys(SuiteSchema.shape);
  else if (NESTED_KEYS[parent]) candidates = NESTED_KEYS[parent]!;
  else if (parentPath[0] === 'include') candidates = ['model', 'target', 'precision', 'batch', 'threads', 'measure', 'sim'];
  else if (parentPath[0] === 'exclude') candidates = ['model', 'target', 'precision', 'batch', 'threads'];
  else if (parentPath[0] === 'models') candidates = ['id', 'name', 'weights'];
  else candidates = [];
  const hint = didYouMean(key, candidates);
  return `unknown key '${key}'${hint ? ` (did you mean '${hint}'?)` : ''}`;
}

export function formatIssues(fileLabel: string, issues: readonly SuiteIssue[], doc?: Document, lc?: LineCounter): string {
  const lines = issues.map((i) => {
    const pos = doc && lc ? locate(doc, lc, i.path, i.atKey) : undefined;
    const field = formatPath(i.atKey !== undefined ? [...i.path, i.atKey] : i.path);
    return `${fileLabel}${pos ? `:${pos}` : ''} ${field}: ${i.message}`;
  });
  const head = issues.length === 1 ? 'suite is not valid:' : `suite is not valid (${issues.length} problems):`;
  return `${head}\n${lines.map((l) => '  ' + l).join('\n')}`;
}

/** Parses and validates suite text; `file` is used for messages and relative paths. */
export function parseSuite(text: string, file: string, semanticCheck?: (suite: Suite) => SuiteIssue[]): LoadedSuite {
  const label = file.startsWith('<') ? file : displayName(file);
  const lc = new LineCounter();
  // yaml's defaults are safe: no custom tags, no code; cap alias expansion against "billion laughs".
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  // Unknown tags (!!js/function, !!python/object) are only warnings to the parser; a suite may
  // not use them at all.
  const problems = [...doc.errors, ...doc.warnings];
  if (problems.length) {
    const lines = problems.slice(0, 5).map((e) => {
      const { line, col } = lc.linePos(e.pos[0]);
      return `  ${label}:${line}:${col} ${e.message.split('\n')[0]}`;
    });
    throw new UserError(`suite is not valid YAML:\n${lines.join('\n')}`);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new UserError(`suite is not valid YAML:\n  ${label} ${(err as Error).message}`);
  }
  if (data === null || data === undefined) throw new UserError(`suite is empty:\n  ${label} has no content; the smallest suite names models, targets, precisions, batch and threads`);
  if (typeof data !== 'object' || Array.isArray(data)) {
    throw new UserError(`suite is not valid:\n  ${label}:1:1 (top level): expected a mapping of keys (name, models, targets, ...), got ${describeValue(data)}`);
  }
  const parsed = SuiteSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) throw new UserError(formatIssues(label, zodIssues(parsed.error), doc, lc));
  const extra = semanticCheck?.(parsed.data) ?? [];
  if (extra.length) throw new UserError(formatIssues(label, extra, doc, lc));
  const baseDir = file.startsWith('<') ? process.cwd() : dirname(resolve(file));
  return { suite: parsed.data, file, baseDir, text };
}

export function loadSuiteFile(path: string, semanticCheck?: (suite: Suite) => SuiteIssue[]): LoadedSuite {
  const abs = resolve(path);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a folder, not a file' : (err as Error).message;
    throw new UserError(`cannot read suite ${displayName(abs)}: ${why}. Give a path to a suite YAML file (see suites/ for examples) or run 'infergate list' to see the bundled suites.`);
  }
  return parseSuite(text, abs, semanticCheck);
}
