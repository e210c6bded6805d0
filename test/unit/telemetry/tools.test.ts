/** cnmon and hrut_somstatus output parsing (the documented field layouts, our own text), and the BPU sysfs nodes from a fixture root. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCnmonMemory, parseCnmonPower, parseCnmonTemperature, parseCnmonUtil } from '../../../harness/telemetry/cnmon.js';
import { bpuSysfsSource, findBpuCores, parseSomStatus } from '../../../harness/telemetry/rdk-x5.js';
import { tempDir } from '../../helpers.js';

test('cnmon: MLU average utilisation, physical (not virtual) memory used, chip temperature, power usage', () => {
  assert.is(parseCnmonUtil('Card 0\n  Utilization\n    MLU Average       : 87 %\n    MLU 00-03         : 86 % 88 % 87 % 87 %\n'), 87);
  const mem = 'Card 0\n  Physical Memory Usage\n    Total : 24576 MiB\n    Used  : 1830 MiB\n    Free  : 22746 MiB\n  Virtual Memory Usage\n    Total : 1048576 MiB\n    Used  : 9999 MiB\n';
  assert.is(parseCnmonMemory(mem), 1830);
  assert.is(parseCnmonMemory(mem.replace('1830 MiB', '2 GiB')), 2048);
  assert.is(parseCnmonTemperature('  Temperature\n    Board     : 38 C\n    Cluster 0 : 51 C\n    Chip      : 52 C\n'), 52);
  assert.is(parseCnmonPower('  Power\n    Usage : 41 W\n    Cap   : 150 W\n'), 41);
});

test('cnmon: output without the line (another version, an error) is undefined, never a wrong number', () => {
  assert.is(parseCnmonUtil('Card 0\n  Utilization\n    MLU 00: 86 %\n'), undefined);
  assert.is(parseCnmonMemory('  Virtual Memory Usage\n    Used : 9999 MiB\n'), undefined);
  assert.is(parseCnmonTemperature('Temperature\n    Board : 38 C\n'), undefined);
  assert.is(parseCnmonPower('error: no device\n'), undefined);
});

test('hrut_somstatus: DDR/BPU/CPU from the temperature section only', () => {
  const text = '=== SoM status ===\ntemperature-->\n  DDR : 44.5 (C)\n  BPU : 47.0 (C)\n  CPU : 46.2 (C)\ncpu frequency-->\n        min   cur   max\n  cpu0: 300 1500 1500\nbpu status information---->\n  BPU : 1000 1000 87\n';
  assert.equal(parseSomStatus(text), [{ device: 'DDR', value: 44.5 }, { device: 'BPU', value: 47 }, { device: 'CPU', value: 46.2 }]);
  assert.equal(parseSomStatus('no temperatures here\n'), []);
});

test('BPU sysfs: ratio and devfreq (Hz -> MHz against max_freq) under INFERGATE_SYSFS_ROOT', () => {
  const root = tempDir();
  const bpu = join(root, 'sys', 'devices', 'system', 'bpu', 'bpu0');
  mkdirSync(join(bpu, 'devfreq', 'devfreq0'), { recursive: true });
  writeFileSync(join(bpu, 'ratio'), '73\n');
  writeFileSync(join(bpu, 'devfreq', 'devfreq0', 'cur_freq'), '800000000\n');
  writeFileSync(join(bpu, 'devfreq', 'devfreq0', 'max_freq'), '1000000000\n');
  const old = process.env.INFERGATE_SYSFS_ROOT;
  process.env.INFERGATE_SYSFS_ROOT = root;
  try {
    const cores = findBpuCores();
    assert.is(cores.length, 1);
    const r = bpuSysfsSource(cores).poll() as { metric: string; device: string; value: number; ceiling?: number }[];
    assert.equal(r.map((x) => [x.metric, x.device, x.value, x.ceiling]), [['bpu.util', 'bpu0', 73, undefined], ['bpu.freq', 'bpu0', 800, 1000]]);
    writeFileSync(join(bpu, 'ratio'), 'n/a\n');
    writeFileSync(join(bpu, 'devfreq', 'devfreq0', 'cur_freq'), '\n');
    assert.throws(() => bpuSysfsSource(cores).poll(), /could not be read/);
  } finally {
    if (old === undefined) delete process.env.INFERGATE_SYSFS_ROOT;
    else process.env.INFERGATE_SYSFS_ROOT = old;
  }
});

test.run();
