/**
 * The host source (Linux): CPU utilisation per core from /proc/stat, the share of the CPU used by
 * other processes (busy time beyond this process's own, from process.cpuUsage), each core's
 * frequency from cpufreq scaling_cur_freq (against cpuinfo_max_freq), temperatures from
 * /sys/class/thermal and /sys/class/hwmon, and this process's RSS. File reads only: a poll costs
 * microseconds. Paths go through sysPath (INFERGATE_SYSFS_ROOT in tests).
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readNumber, readText, sysPath, type Reading, type TelemetrySource } from './source.js';

/** /proc/stat's clock ticks per second (USER_HZ; 100 on every Linux this runs on). */
const USER_HZ = 100;
/** At most this many temperature sensors (a server can expose hundreds). */
const MAX_SENSORS = 16;

export interface CpuTimes {
  /** "cpu" (all cores) or "cpu0", "cpu1", ... */
  name: string;
  busy: number;
  total: number;
}

/** The cpu lines of /proc/stat: busy = total - idle - iowait (guest time is already in user). */
export function parseProcStat(text: string): CpuTimes[] {
  const out: CpuTimes[] = [];
  for (const line of text.split('\n')) {
    const m = /^(cpu\d*)\s+(.*)$/.exec(line.trim());
    if (!m) continue;
    const f = m[2]!.split(/\s+/).map(Number);
    if (f.length < 4 || f.some((x) => !Number.isFinite(x))) continue;
    const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
    out.push({ name: m[1]!, busy: total - f[3]! - (f[4] ?? 0), total });
  }
  return out;
}

/**
 * Utilisation between two /proc/stat readings, per core and for all ("all"), in percent, and
 * the share of all cores that processes other than this one kept busy (ownSeconds: this
 * process's CPU time in the same interval).
 */
export function cpuReadings(before: CpuTimes[], after: CpuTimes[], ownSeconds: number): Reading[] {
  const out: Reading[] = [];
  const prev = new Map(before.map((c) => [c.name, c]));
  for (const c of after) {
    const p = prev.get(c.name);
    if (!p || c.total <= p.total) continue;
    const util = (100 * (c.busy - p.busy)) / (c.total - p.total);
    out.push({ metric: 'cpu.util', device: c.name === 'cpu' ? 'all' : c.name, value: clamp(util), rate: true });
    if (c.name === 'cpu') {
      const others = (c.busy - p.busy) / USER_HZ - ownSeconds;
      out.push({ metric: 'cpu.others', device: 'all', value: clamp((100 * others) / ((c.total - p.total) / USER_HZ)), rate: true });
    }
  }
  return out;
}

const clamp = (v: number) => Math.min(100, Math.max(0, v));

interface Sensor {
  device: string;
  path: string;
}

function listDir(path: string): string[] {
  try {
    return readdirSync(path).sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
  } catch {
    return [];
  }
}

/** Thermal zones (named by their type) and hwmon temperature inputs (chip name / label). */
export function findTemperatureSensors(): Sensor[] {
  const out: Sensor[] = [];
  const thermal = sysPath('sys/class/thermal');
  for (const z of listDir(thermal).filter((n) => n.startsWith('thermal_zone'))) {
    const path = join(thermal, z, 'temp');
    if (readNumber(path) !== undefined) out.push({ device: `${readText(join(thermal, z, 'type')) ?? z}`, path });
  }
  const hwmon = sysPath('sys/class/hwmon');
  for (const h of listDir(hwmon)) {
    const chip = readText(join(hwmon, h, 'name')) ?? h;
    for (const f of listDir(join(hwmon, h)).filter((n) => /^temp\d+_input$/.test(n))) {
      const label = readText(join(hwmon, h, f.replace('_input', '_label'))) ?? f.replace('_input', '');
      out.push({ device: `${chip}/${label}`, path: join(hwmon, h, f) });
    }
  }
  // Two zones of one name (several cores' packages) stay apart.
  const seen = new Map<string, number>();
  for (const s of out) {
    const k = seen.get(s.device) ?? 0;
    seen.set(s.device, k + 1);
    if (k) s.device = `${s.device}#${k}`;
  }
  return out.slice(0, MAX_SENSORS);
}

interface Core {
  device: string;
  cur: string;
  max?: number;
}

export function findCpufreq(): Core[] {
  const base = sysPath('sys/devices/system/cpu');
  return listDir(base)
    .filter((n) => /^cpu\d+$/.test(n))
    .map((n) => ({ device: n, cur: join(base, n, 'cpufreq', 'scaling_cur_freq'), maxPath: join(base, n, 'cpufreq', 'cpuinfo_max_freq') }))
    .filter((c) => existsSync(c.cur))
    .map((c) => {
      const max = readNumber(c.maxPath);
      return { device: c.device, cur: c.cur, ...(max ? { max: max / 1000 } : {}) };
    });
}

/** The host source, or why this machine has none (not Linux: no /proc/stat). */
export function hostSource(): { source?: TelemetrySource; reason?: string; cpufreq: boolean } {
  const stat = sysPath('proc/stat');
  const first = readText(stat);
  if (first === undefined || !parseProcStat(first).length) return { reason: `no readable ${stat} (not Linux?)`, cpufreq: false };
  const cores = findCpufreq();
  const sensors = findTemperatureSensors();
  let last = parseProcStat(first);
  let lastOwn = process.cpuUsage();
  const from = [stat, cores.length ? sysPath('sys/devices/system/cpu/cpu*/cpufreq') : undefined, sensors.length ? `${sensors.length} temperature sensors` : undefined, 'process RSS']
    .filter(Boolean)
    .join(', ');
  const source: TelemetrySource = {
    id: 'host',
    from,
    minIntervalMs: 0,
    poll(): Reading[] {
      const text = readText(stat);
      if (text === undefined) throw new Error(`${stat} could not be read`);
      const now = parseProcStat(text);
      const own = process.cpuUsage(lastOwn);
      lastOwn = process.cpuUsage();
      const out = cpuReadings(last, now, (own.user + own.system) / 1e6);
      last = now;
      for (const c of cores) {
        const khz = readNumber(c.cur);
        if (khz !== undefined) out.push({ metric: 'cpu.freq', device: c.device, value: khz / 1000, ...(c.max ? { ceiling: c.max } : {}) });
      }
      for (const s of sensors) {
        const milli = readNumber(s.path);
        if (milli !== undefined) out.push({ metric: 'temp', device: s.device, value: milli / 1000 });
      }
      out.push({ metric: 'rss', device: 'process', value: process.memoryUsage.rss() / (1024 * 1024) });
      return out;
    },
  };
  return { source, cpufreq: cores.length > 0 };
}
