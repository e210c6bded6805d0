#!/usr/bin/env node
// `npm run check:cycles` (and every `npm test`): fails on any import cycle among the TypeScript
// files under harness/, type-only imports included, and on any import of another folder by
// harness/core/ (the shared vocabulary imports nothing else from harness/).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const harness = join(root, 'harness');
const files = (function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
})(harness);

// Every static, type-only, re-export and dynamic import of a relative module.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g;
const edges = new Map();
for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const targets = new Set();
  for (const m of text.matchAll(IMPORT)) targets.add(resolve(dirname(file), m[1].replace(/\.js$/, '.ts')));
  edges.set(file, [...targets].filter((t) => t.startsWith(harness)));
}

const rel = (f) => relative(root, f);
const problems = [];
for (const [file, targets] of edges) {
  if (!rel(file).startsWith('harness/core/')) continue;
  for (const t of targets) if (!rel(t).startsWith('harness/core/')) problems.push(`${rel(file)} imports ${rel(t)}: harness/core/ imports nothing else from harness/`);
}

// Depth-first search; a grey node met again closes a cycle.
const state = new Map();
const stack = [];
const cycles = [];
function visit(f) {
  state.set(f, 'grey');
  stack.push(f);
  for (const t of edges.get(f) ?? []) {
    if (state.get(t) === 'grey') cycles.push([...stack.slice(stack.indexOf(t)), t].map(rel).join(' -> '));
    else if (!state.has(t)) visit(t);
  }
  stack.pop();
  state.set(f, 'black');
}
for (const f of [...edges.keys()].sort()) if (!state.has(f)) visit(f);

for (const c of cycles) problems.push(`import cycle: ${c}`);
if (problems.length) {
  console.error(`check-cycles: ${problems.length} problem${problems.length > 1 ? 's' : ''}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`check-cycles: ${files.length} files under harness/, no import cycle, core imports nothing else`);
