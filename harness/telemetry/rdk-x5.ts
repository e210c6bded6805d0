/**
 * The RDK X5 source: BPU utilisation from /sys/devices/system/bpu/bpu*\/ratio (percent), the BPU
 * frequency from its devfreq node (cur_freq against max_freq, Hz), and the SoM temperatures
 * (DDR, BPU, CPU) printed by `hrut_somstatus`, polled at most once a second. The sysfs part is
 * read on every tick; the tool is optional and its failure leaves only its metrics absent.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runToolAsync } from '../util/run-tool.js';
import { readNumber, sysPath, type Reading, type TelemetrySource } from './source.js';

interface BpuCore {
  device: string;
  ratio: string;
  curFreq?: string;
  maxFreq?: number;
}

function list(path: string): string[] {
  try {
    return readdirSync(path).sort();
  } catch {
    return [];
  }
}

/** bpu0, bpu1 ... with their ratio file and the first devfreq node under each (bpuN/devfreq/<node>/cur_freq). */
export function findBpuCores(): BpuCore[] {
  const base = sysPath('sys/devices/system/bpu');
  return list(base)
    .filter((n) => /^bpu\d+$/.test(n) && existsSync(join(base, n, 'ratio')))
    .map((n) => {
      const devfreq = join(base, n, 'devfreq');
      const node = list(devfreq).find((d) => existsSync(join(devfreq, d, 'cur_freq')));
      const max = node ? readNumber(join(devfreq, node, 'max_freq')) : undefined;
      return { device: n, ratio: join(base, n, 'ratio'), ...(node ? { curFreq: join(devfreq, node, 'cur_freq') } : {}), ...(max ? { maxFreq: max / 1e6 } : {}) };
    });
}

/** hrut_somstatus: the DDR/BPU/CPU lines of its temperature section, in C. */
export function parseSomStatus(text: string): { device: string; value: number }[] {
  const out: { device: string; value: number }[] = [];
  let inTemperature = false;
  for (const line of text.split('\n')) {
    if (/temperature/i.test(line)) {
      inTemperature = true;
      continue;
    }
    if (/frequency|status information|-->/i.test(line)) inTemperature = false;
    const m = /^\s*(DDR|BPU|CPU)\s*:\s*(-?\d+(?:\.\d+)?)/i.exec(line);
    if (inTemperature && m) out.push({ device: m[1]!.toUpperCase(), value: Number(m[2]) });
  }
  return out;
}

function sysfsReadings(cores: BpuCore[]): Reading[] {
  const out: Reading[] = [];
  for (const c of cores) {
    const ratio = readNumber(c.ratio);
    if (ratio !== undefined) out.push({ metric: 'bpu.util', device: c.device, value: ratio, rate: true });
    const hz = c.curFreq ? readNumber(c.curFreq) : undefined;
    if (hz !== undefined) out.push({ metric: 'bpu.freq', device: c.device, value: hz / 1e6, ...(c.maxFreq ? { ceiling: c.maxFreq } : {}) });
  }
  return out;
}

/** The BPU sysfs source (every tick), when this machine has BPU nodes. */
export function bpuSysfsSource(cores: BpuCore[]): TelemetrySource {
  return {
    id: 'rdk-x5',
    from: `${sysPath('sys/devices/system/bpu')}/bpu*/ratio${cores.some((c) => c.curFreq) ? ' and devfreq' : ''}`,
    minIntervalMs: 0,
    poll: () => {
      const r = sysfsReadings(cores);
      if (!r.length) throw new Error('the BPU ratio files could not be read');
      return r;
    },
  };
}

/** hrut_somstatus (at most once a second). */
export function somStatusSource(tool: string, timeoutMs = 5000): TelemetrySource {
  return {
    id: 'rdk-x5',
    from: tool,
    minIntervalMs: 1000,
    async poll(): Promise<Reading[]> {
      const o = await runToolAsync(tool, [], { timeoutMs });
      if (!o.ok) throw new Error(`hrut_somstatus ${o.reason}`);
      const temps = parseSomStatus(o.stdout);
      if (!temps.length) throw new Error('hrut_somstatus printed no DDR/BPU/CPU temperature line');
      return temps.map((t) => ({ metric: 'soc.temp', device: t.device, value: t.value }));
    },
  };
}
