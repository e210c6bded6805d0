/** Walks the bad-input corpus (test/fixtures/bad-input/corpus.json): every item exits 2 with one paragraph naming the file and field. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { loadNative } from '../../harness/targets/native.js';
import { ROOT, runCli, tempDir, tempFiles } from '../helpers.js';

const FX = join(ROOT, 'test', 'fixtures', 'bad-input');
// Runs that get as far as measuring write reports/ here, never into the fixtures.
const scratch = tempDir('infergate-bad-input-');
const corpus = JSON.parse(readFileSync(join(FX, 'corpus.json'), 'utf8')) as { items: { name: string; args: string[]; expect: string; needsNative?: boolean; env?: Record<string, string> }[] };
const fill = (a: string) => a.replaceAll('{fx}', FX).replaceAll('{scratch}', scratch);

test('the corpus has at least 80 items', () => {
  assert.ok(corpus.items.length >= 80, `${corpus.items.length} items`);
});

test('every bad input: exit 2, the file and field named, one paragraph, no stack trace', () => {
  const haveNative = !!loadNative().addon;
  const failures: string[] = [];
  for (const item of corpus.items) {
    if (item.needsNative && !haveNative) {
      console.log(`  skipped '${item.name}': the native addon did not build`);
      continue;
    }
    const env = Object.fromEntries(Object.entries(item.env ?? {}).map(([k, v]) => [k, fill(v)]));
    const r = runCli(item.args.map(fill), { cwd: scratch, env });
    const why: string[] = [];
    if (r.code !== 2) why.push(`exit ${r.code}, expected 2`);
    if (!new RegExp(item.expect).test(r.stderr)) why.push(`stderr does not match /${item.expect}/`);
    if (/\n\s+at .+:\d+:\d+/.test(r.stderr) || /internal error/.test(r.stderr)) why.push('a stack trace or internal error');
    const message = r.stderr.split('\n').filter((l) => l.startsWith('infergate: ') && !/^infergate: wrote /.test(l));
    if (message.length === 0 && !/failed \(bad-input\)/.test(r.stderr)) why.push('no infergate: message line');
    if (why.length) failures.push(`${item.name}: ${why.join('; ')}\n    stderr: ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`);
  }
  assert.is(failures.length, 0, failures.join('\n'));
  // A refused input leaves nothing half-written behind, in the fixtures or where it ran.
  assert.equal([...tempFiles(FX), ...tempFiles(scratch)], []);
});

test.run();
