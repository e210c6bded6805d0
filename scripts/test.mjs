#!/usr/bin/env node
// `npm test`: compile (tests run against the same compiled code the CLI runs), check for import
// cycles, then run dist/test/unit (pure, fast) and dist/test/e2e (the CLI, workers, child
// processes, the native addon) with uvu, and end with the plain line CI reads:
// "N passed, N failed, N skipped". `npm run test:unit` (--unit) runs the unit tests alone.
import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const unitOnly = process.argv.includes('--unit');
const extra = process.argv.slice(2).filter((a) => a !== '--unit');
for (const step of [[join(root, 'node_modules/typescript/bin/tsc'), '-p', root], [join(root, 'scripts/check-cycles.mjs')]]) {
  const r = spawnSync(process.execPath, step, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.log('0 passed, 1 failed, 0 skipped');
    process.exit(r.status ?? 1);
  }
}

function uvu(dir) {
  return new Promise((resolve) => {
    const args = [join(root, 'node_modules/uvu/bin.js'), dir, '\\.test\\.js$', ...extra];
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, INFERGATE_TEST: '1' } });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    child.on('close', (code) => {
      const plain = out.replace(/\x1b\[[0-9;]*m/g, '');
      const count = (label) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(plain)?.[1] ?? 0);
      const total = count('Total');
      const passed = count('Passed');
      const skipped = count('Skipped');
      // uvu's Total counts the tests that ran; skipped ones are apart.
      resolve({ total, passed, skipped, failed: Math.max(total - passed, code === 0 ? 0 : 1), code });
    });
  });
}

const parts = [await uvu('dist/test/unit')];
if (!unitOnly) parts.push(await uvu('dist/test/e2e'));
const sum = (k) => parts.reduce((n, p) => n + p[k], 0);
console.log(`\n${sum('passed')} passed, ${sum('failed')} failed, ${sum('skipped')} skipped`);
process.exit(parts.every((p) => p.code === 0) && sum('failed') === 0 && sum('total') > 0 ? 0 : 1);
