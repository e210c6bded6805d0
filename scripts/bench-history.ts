/**
 * npm run bench:history — `infergate history` at lab scale: 1,000 run folders x 100 cases
 * (three simulated boards, about 333 nights each, sim-shaped results.json; a few cases of one board
 * slowed 8% from night 180 so the page has steps to draw), generated into a temp folder, then the
 * real CLI in a child process builds the table and the HTML page (one chart per case and board
 * set) over all of them. Goals on this 2-core machine: under 10 s and under 500 MB peak RSS.
 * Generation is not timed. Options (the size): `npm run bench:history -- --help`.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../harness/util/package-root.js';
import { benchArgs, count } from './bench-args.js';
import { boardKeys, simLikeNight, writeNight } from './history-fixtures.js';

const { runs, cases: casesPerRun } = benchArgs<{ runs: number; cases: number }>('bench:history', '`infergate history` over a generated results store: time and peak RSS', (c) => c
  .option('--runs <n>', 'run folders to generate', count(), 1000)
  .option('--cases <n>', 'cases per run', count(), 100), ['', '--runs 100 --cases 20']);
const boards = ['sim-mlu370-s4', 'sim-mlu370-x4', 'sim-rdk-x5'];
const work = mkdtempSync(join(tmpdir(), 'infergate-bench-history-'));
const store = join(work, 'store');
const start = new Date('2024-01-01T02:00:00Z');

const g0 = performance.now();
for (let i = 0; i < runs; i++) {
  const board = boards[i % boards.length]!;
  const night = Math.floor(i / boards.length) + 1;
  const keys = boardKeys(board, casesPerRun);
  const results = simLikeNight({
    suite: 'lab-nightly',
    night,
    start,
    keys,
    seed: i + 1,
    host: `${board}-host`,
    slowdown: (k) => (board === 'sim-rdk-x5' && night >= 180 && k.batch === 3 ? 1.08 : 1),
    env: board === 'sim-rdk-x5' && night >= 180 ? { 'targets.sim-rdk-x5.sim': 'infergate-sim 2 (simulated device, no hardware)' } : {},
  });
  writeNight(store, board, results, i < boards.length);
}
const generated = (performance.now() - g0) / 1000;
console.log(`generated ${runs} run folders x ${casesPerRun} cases in ${generated.toFixed(1)} s (not timed below) under ${work}`);

const html = join(work, 'history.html');
const main = pathToFileURL(join(packageRoot(), 'dist', 'harness', 'cli', 'main.js')).href;
// The child reports its own peak RSS (getrusage ru_maxrss, KiB): what history cost, nothing else.
const child = `import { main } from ${JSON.stringify(main)};
const code = await main(['node', 'infergate', 'history', ${JSON.stringify(store)}, '--html', ${JSON.stringify(html)}]);
process.stderr.write('BENCH ' + JSON.stringify({ code, maxRssKiB: process.resourceUsage().maxRSS }) + '\\n');`;
const t0 = performance.now();
const r = spawnSync(process.execPath, ['--input-type=module', '-e', child], { encoding: 'utf8', maxBuffer: 64 << 20 });
const seconds = (performance.now() - t0) / 1000;
const m = /BENCH (\{.*\})/.exec(r.stderr ?? '');
if (!m) {
  console.error(`history failed (exit ${r.status}):\n${r.stderr}`);
  process.exit(1);
}
const { code, maxRssKiB } = JSON.parse(m[1]!) as { code: number; maxRssKiB: number };
if (code !== 0) {
  console.error(`history exited ${code}:\n${r.stderr}`);
  process.exit(1);
}
const rssMB = (maxRssKiB * 1024) / 1e6;
const lines = r.stdout.trim().split('\n');
console.log(lines.filter((l) => /series from|step regressed/.test(l)).slice(0, 3).join('\n'));
console.log(`history over ${runs} runs x ${casesPerRun} cases (table + HTML, ${(statSync(html).size / 1e6).toFixed(1)} MB page): ${seconds.toFixed(2)} s wall (goal < 10 s), peak RSS ${rssMB.toFixed(0)} MB (goal < 500 MB), exit ${code}`);
const ok = code === 0 && seconds < 10 && rssMB < 500;
console.log(ok ? 'bench:history: goals met' : 'bench:history: GOALS MISSED');
rmSync(work, { recursive: true, force: true });
process.exit(ok ? 0 : 1);
