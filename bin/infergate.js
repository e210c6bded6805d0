#!/usr/bin/env node
// The infergate command: runs the compiled CLI (npm ci builds it; `npm run build` rebuilds it).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/harness/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('infergate: not built yet: run `npm run build` (npm ci does it) in the infergate folder.\n');
  process.exit(3);
}
// `infergate ... | head` closes the pipe early: that is the reader's choice, not a failure.
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});
const { main } = await import(entry.href);
process.exitCode = await main(process.argv);
