/**
 * Reading the vendor tools' summaries. Each recognised line becomes a named figure; lines of the
 * summary that nothing recognises are kept verbatim (the raw output is in the run folder too), so
 * a tool version that prints something new is visible rather than silently ignored.
 */

export interface ParsedSummary {
  figures: Record<string, number>;
  version?: string;
  /** Summary lines no pattern recognised (at most 20). */
  unrecognised: string[];
}

const NUM = '(-?\\d+(?:\\.\\d+)?(?:[eE][-+]?\\d+)?)';
const MAX_UNRECOGNISED = 20;

/** A version the tool printed ("v1.23.4", "version: 3.0.1"), if any. */
export function findVersion(text: string): string | undefined {
  const m = /version\s*(?:is)?\s*[:=]?\s*v?(\d+(?:\.\d+)+[\w.-]*)/i.exec(text) ?? /\bv(\d+\.\d+\.\d+[\w.-]*)/.exec(text);
  return m?.[1];
}

/** hrt_model_exec perf: thread number, frame count, program run time, frame totally latency, average latency, frame rate. */
export function parseHrtPerf(text: string): ParsedSummary {
  const patterns: [string, RegExp][] = [
    ['threads', new RegExp(`thread number is\\s*:?\\s*${NUM}`, 'i')],
    ['frames', new RegExp(`frame count is\\s*:?\\s*${NUM}`, 'i')],
    ['runTimeMs', new RegExp(`program run time\\s*:?\\s*${NUM}\\s*ms`, 'i')],
    ['totalLatencyMs', new RegExp(`frame totally latency is\\s*:?\\s*${NUM}\\s*ms`, 'i')],
    ['latencyMeanMs', new RegExp(`average\\s+latency is\\s*:?\\s*${NUM}\\s*ms`, 'i')],
    ['fps', new RegExp(`frame rate is\\s*:?\\s*${NUM}\\s*FPS`, 'i')],
  ];
  return parseLines(text, patterns, /running condition|perf result/i);
}

/**
 * mm_run's performance summary: "Throughput (qps): X", iterations, times, and its latency lines
 * ("<stage> Latency (ms): min = a, max = b, mean = c, median = d, percentile: (90%) = e, ...").
 * Figures: qps, iterations, and `<stage>.min|max|mean|median|p90|p95|p99` in ms.
 */
export function parseMmRunSummary(text: string): ParsedSummary {
  const figures: Record<string, number> = {};
  const unrecognised: string[] = [];
  const summary = summaryLines(text, /performance summary/i);
  for (const line of summary) {
    const qps = new RegExp(`throughput\\s*\\(qps\\)\\s*:\\s*${NUM}`, 'i').exec(line);
    const iterations = new RegExp(`^\\s*iterations\\s*:\\s*${NUM}`, 'i').exec(line);
    const time = new RegExp(`^\\s*(host wall|mlu compute)\\s+time\\s*\\((s|ms)\\)\\s*:\\s*${NUM}`, 'i').exec(line);
    const latency = /^\s*(.+?)\s+latency\s*\(ms\)\s*:(.*)$/i.exec(line);
    if (qps) figures.qps = Number(qps[1]);
    else if (iterations) figures.iterations = Number(iterations[1]);
    else if (time) figures[time[1]!.toLowerCase().startsWith('host') ? 'hostWallMs' : 'computeTotalMs'] = Number(time[3]) * (time[2]!.toLowerCase() === 's' ? 1000 : 1);
    else if (latency && /mean/i.test(latency[2]!)) {
      const stage = latency[1]!.toLowerCase().replace(/[^a-z0-9]+/g, '');
      for (const m of latency[2]!.matchAll(new RegExp(`(min|max|mean|median)\\s*[:=]\\s*${NUM}`, 'gi'))) figures[`${stage}.${m[1]!.toLowerCase()}`] = Number(m[2]);
      for (const m of latency[2]!.matchAll(new RegExp(`\\((\\d+(?:\\.\\d+)?)%\\)\\s*[:=]\\s*${NUM}`, 'gi'))) figures[`${stage}.p${m[1]}`] = Number(m[2]);
    } else if (line.trim() && !/performance summary|^[=\-\s]+$/i.test(line)) unrecognised.push(line.trim());
  }
  const version = findVersion(text);
  return { figures, ...(version ? { version } : {}), unrecognised: unrecognised.slice(0, MAX_UNRECOGNISED) };
}

/** The summary part of an output: from its marker on, or the last lines when there is no marker. */
function summaryLines(text: string, marker: RegExp): string[] {
  const lines = text.split(/\r?\n/);
  const at = lines.findIndex((l) => marker.test(l));
  return at >= 0 ? lines.slice(at) : lines.slice(-40);
}

function parseLines(text: string, patterns: [string, RegExp][], marker: RegExp): ParsedSummary {
  const figures: Record<string, number> = {};
  const unrecognised: string[] = [];
  for (const line of summaryLines(text, marker)) {
    const hit = patterns.find(([, re]) => re.test(line));
    if (hit) figures[hit[0]] = Number(hit[1].exec(line)![1]);
    else if (line.trim() && !marker.test(line)) unrecognised.push(line.trim());
  }
  const version = findVersion(text);
  return { figures, ...(version ? { version } : {}), unrecognised: unrecognised.slice(0, MAX_UNRECOGNISED) };
}
