/**
 * The MLU370 source: Cambricon's `cnmon` tool, as public hardware collectors read it:
 * `cnmon info -c CARD -u` (the "MLU Average" utilisation line, %), `-m` (Used under physical
 * memory usage, MiB), `-e` (the Chip temperature, C), `-p` (power Usage, W). Each flag is its
 * own call (argument arrays, a timeout), polled at most once a second. A flag whose output has
 * no recognisable line leaves its metric absent and says why; the others still count.
 */
import { runToolAsync } from '../util/run-tool.js';
import type { Reading, TelemetrySource } from './source.js';

const num = '(-?\\d+(?:\\.\\d+)?)';

/** `info -u`: the line naming the MLU average. */
export function parseCnmonUtil(text: string): number | undefined {
  const m = new RegExp(`mlu\\s+average\\s*:?\\s*${num}\\s*%?`, 'i').exec(text);
  return m ? Number(m[1]) : undefined;
}

/** `info -m`: "Used" in the physical memory section (not the virtual one), MiB. */
export function parseCnmonMemory(text: string): number | undefined {
  let inPhysical = false;
  for (const line of text.split('\n')) {
    if (/memory usage/i.test(line)) inPhysical = /physical/i.test(line);
    const m = new RegExp(`^\\s*used\\s*:\\s*${num}\\s*(MiB|MB|GiB|GB)?`, 'i').exec(line);
    if (inPhysical && m) return /g/i.test(m[2] ?? '') ? Number(m[1]) * 1024 : Number(m[1]);
  }
  return undefined;
}

/** `info -e`: the chip temperature, C. */
export function parseCnmonTemperature(text: string): number | undefined {
  const m = new RegExp(`^\\s*chip\\s*:\\s*${num}\\s*(?:C|°C)?\\s*$`, 'im').exec(text);
  return m ? Number(m[1]) : undefined;
}

/** `info -p`: the power in use, W. */
export function parseCnmonPower(text: string): number | undefined {
  const m = new RegExp(`^\\s*usage\\s*:\\s*${num}\\s*W`, 'im').exec(text);
  return m ? Number(m[1]) : undefined;
}

const QUERIES = [
  { flag: '-u', metric: 'mlu.util', parse: parseCnmonUtil, what: 'utilisation (MLU Average)' },
  { flag: '-m', metric: 'mlu.mem', parse: parseCnmonMemory, what: 'physical memory Used' },
  { flag: '-e', metric: 'mlu.temp', parse: parseCnmonTemperature, what: 'Chip temperature' },
  { flag: '-p', metric: 'mlu.power', parse: parseCnmonPower, what: 'power Usage' },
] as const;

export function cnmonSource(tool: string, card: number, timeoutMs = 5000): TelemetrySource {
  const device = `mlu${card}`;
  return {
    id: 'cnmon',
    from: `${tool} info -c ${card} -u/-m/-e/-p`,
    minIntervalMs: 1000,
    async poll(): Promise<Reading[]> {
      const outs = await Promise.all(QUERIES.map((q) => runToolAsync(tool, ['info', '-c', String(card), q.flag], { timeoutMs })));
      const readings: Reading[] = [];
      const problems: string[] = [];
      QUERIES.forEach((q, i) => {
        const o = outs[i]!;
        const value = o.ok ? q.parse(o.stdout) : undefined;
        if (value !== undefined) readings.push({ metric: q.metric, device, value, ...(q.metric === 'mlu.util' ? { rate: true } : {}) });
        else problems.push(o.ok ? `cnmon info ${q.flag} printed no ${q.what} line` : `cnmon info ${q.flag} ${o.reason}`);
      });
      if (problems.length) throw Object.assign(new Error(problems.join('; ')), { partial: readings });
      return readings;
    },
  };
}
