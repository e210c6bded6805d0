/** The host source: /proc/stat arithmetic, other processes' share, cpufreq and sensors read from a fixture root. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuReadings, hostSource, parseProcStat } from '../../../harness/telemetry/host.js';
import { ROOT, tempDir } from '../../helpers.js';

const STAT_A = 'cpu  100 0 100 800 0 0 0 0 0 0\ncpu0 50 0 50 400 0 0 0 0 0 0\ncpu1 50 0 50 400 0 0 0 0 0 0\nintr 1 2 3\n';
// 200 ticks later on each core: cpu0 fully busy, cpu1 half busy.
const STAT_B = 'cpu  350 0 150 900 0 0 0 0 0 0\ncpu0 250 0 50 400 0 0 0 0 0 0\ncpu1 100 0 100 500 0 0 0 0 0 0\nintr 1 2 3\n';

function withEnv<T>(vars: Record<string, string | undefined>, fn: () => T): T {
  const old = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  for (const [k, v] of Object.entries(vars)) if (v === undefined) delete process.env[k];
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(old)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

test('parseProcStat: busy = total - idle - iowait, per core and for all', () => {
  const t = parseProcStat('cpu  10 1 5 80 4 0 0 0 0 0\ncpu0 10 1 5 80 4 0 0 0 0 0\nctxt 5\n');
  assert.equal(t, [{ name: 'cpu', busy: 16, total: 100 }, { name: 'cpu0', busy: 16, total: 100 }]);
  assert.equal(parseProcStat('garbage\n'), []);
});

test('cpuReadings: utilisation per core; other processes = busy time beyond this process', () => {
  // 400 ticks across both cores (2 s of wall time at USER_HZ 100), 300 busy = 3 s; this process used 1 s.
  const r = cpuReadings(parseProcStat(STAT_A), parseProcStat(STAT_B), 1);
  const get = (m: string, d: string) => r.find((x) => x.metric === m && x.device === d)?.value;
  assert.is(get('cpu.util', 'all'), 75);
  assert.is(get('cpu.util', 'cpu0'), 100);
  assert.is(get('cpu.util', 'cpu1'), 50);
  assert.is(get('cpu.others', 'all'), 50); // (3 s - 1 s) / 4 core-seconds
  assert.ok(r.every((x) => x.rate));
  // This process explains all of it: nobody else was busy.
  assert.is(cpuReadings(parseProcStat(STAT_A), parseProcStat(STAT_B), 3).find((x) => x.metric === 'cpu.others')!.value, 0);
});

test('hostSource: frequency against its maximum and temperatures from the sysfs fixture root; utilisation from /proc', () => {
  const root = join(ROOT, 'test', 'fixtures', 'sysfs', 'host-cpufreq');
  const proc = tempDir();
  mkdirSync(join(proc, 'proc'));
  writeFileSync(join(proc, 'proc', 'stat'), STAT_A);
  withEnv({ INFERGATE_SYSFS_ROOT: root, INFERGATE_PROCFS_ROOT: proc }, () => {
    const h = hostSource();
    assert.ok(h.source && h.cpufreq);
    writeFileSync(join(proc, 'proc', 'stat'), STAT_B);
    const r = h.source!.poll() as ReturnType<typeof cpuReadings>;
    const freq = r.filter((x) => x.metric === 'cpu.freq');
    assert.equal(freq.map((x) => [x.device, x.value, x.ceiling]), [['cpu0', 2400, 3000], ['cpu1', 3000, 3000]]);
    assert.equal(r.filter((x) => x.metric === 'temp').map((x) => [x.device, x.value]), [['x86_pkg_temp', 55], ['coretemp/Package id 0', 54]]);
    assert.is(r.find((x) => x.metric === 'cpu.util' && x.device === 'cpu0')!.value, 100);
    assert.ok(r.find((x) => x.metric === 'rss')!.value > 1);
  });
});

test('hostSource: no /proc/stat under the root is no host source, with the reason', () => {
  const empty = tempDir();
  withEnv({ INFERGATE_PROCFS_ROOT: empty }, () => {
    const h = hostSource();
    assert.is(h.source, undefined);
    assert.match(h.reason!, /no readable .*proc\/stat/);
  });
});

test.run();
