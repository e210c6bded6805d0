/**
 * Device telemetry and vendor-tool figures as results carry them (zod: the one definition that
 * writes and reads results files). A case's telemetry is summarised per metric and per device
 * (min/mean/max over its measured window); the sample series themselves live in the run folder's
 * telemetry/case-NNN.json. A peer is a vendor tool's own figure for the same artifact (mm_run,
 * hrt_model_exec): a second opinion beside infergate's, never a replacement.
 */
import { z } from 'zod';

/** What a telemetry metric is; `device` says which core, zone or card. */
export const TELEMETRY_METRICS = {
  'cpu.util': { unit: '%', what: 'CPU utilisation (busy share of each core; device all = mean over cores)' },
  'cpu.others': { unit: '%', what: 'host CPU used by other processes (busy time beyond this process), share of all cores' },
  'cpu.freq': { unit: 'MHz', what: 'CPU core frequency (cpufreq scaling_cur_freq)' },
  temp: { unit: 'C', what: 'temperature (thermal zones, hwmon sensors)' },
  rss: { unit: 'MiB', what: 'resident memory of the measuring process' },
  'mlu.util': { unit: '%', what: 'MLU utilisation (cnmon info -u, MLU average)' },
  'mlu.mem': { unit: 'MiB', what: 'MLU physical memory used (cnmon info -m)' },
  'mlu.temp': { unit: 'C', what: 'MLU chip temperature (cnmon info -e)' },
  'mlu.power': { unit: 'W', what: 'MLU power usage (cnmon info -p)' },
  'bpu.util': { unit: '%', what: 'BPU utilisation (sysfs bpu*/ratio)' },
  'bpu.freq': { unit: 'MHz', what: 'BPU frequency (its devfreq node)' },
  'soc.temp': { unit: 'C', what: 'SoC temperatures DDR/BPU/CPU (hrut_somstatus)' },
} as const;

export type TelemetryMetric = keyof typeof TELEMETRY_METRICS;
export const TELEMETRY_METRIC_IDS = Object.keys(TELEMETRY_METRICS) as [TelemetryMetric, ...TelemetryMetric[]];

export const TELEMETRY_SOURCES = ['host', 'cnmon', 'rdk-x5'] as const;
export type TelemetrySourceId = (typeof TELEMETRY_SOURCES)[number];

export const TelemetryMetricSummarySchema = z.object({
  metric: z.enum(TELEMETRY_METRIC_IDS),
  device: z.string(),
  unit: z.string(),
  /** Samples inside the measured window. */
  n: z.number().int().min(0),
  min: z.number(),
  mean: z.number(),
  max: z.number(),
  /** The ceiling the value is judged against (a core's or the BPU's maximum frequency), where known. */
  ceiling: z.number().optional(),
});
export type TelemetryMetricSummary = z.output<typeof TelemetryMetricSummarySchema>;

export const TELEMETRY_WARNING_CODES = ['frequency-below-max', 'temperature-rise', 'host-busy', 'accelerator-idle', 'source-failed', 'few-samples'] as const;

export const TelemetryWarningSchema = z.object({ code: z.enum(TELEMETRY_WARNING_CODES), message: z.string() });
export type TelemetryWarning = z.output<typeof TelemetryWarningSchema>;

export const TelemetrySourceStatusSchema = z.object({
  id: z.enum(TELEMETRY_SOURCES),
  /** ok: sampled; failed: detected but its output could not be read (the reason says why). */
  status: z.enum(['ok', 'failed']),
  /** Where it reads: /proc and /sys paths, the tool's path. */
  from: z.string(),
  reason: z.string().optional(),
});
export type TelemetrySourceStatus = z.output<typeof TelemetrySourceStatusSchema>;

export const TelemetrySummarySchema = z.object({
  intervalMs: z.number(),
  /** Sampling ticks inside the measured window (each source may sample less often). */
  samples: z.number().int().min(0),
  /** The measured window (first measured call's start to the last call's end), seconds. */
  windowSeconds: z.number(),
  /** Sample series, relative to the run directory. */
  file: z.string().optional(),
  sources: z.array(TelemetrySourceStatusSchema),
  /** Sources this case's target could use but the machine lacks (e.g. cnmon not on PATH). */
  absent: z.array(z.string()).optional(),
  metrics: z.array(TelemetryMetricSummarySchema),
  warnings: z.array(TelemetryWarningSchema),
  /** Set when /sys (or /proc) reads came from a test fixture root (INFERGATE_SYSFS_ROOT, INFERGATE_PROCFS_ROOT). */
  fixtureRoot: z.string().optional(),
});
export type TelemetrySummary = z.output<typeof TelemetrySummarySchema>;

export const PEER_TOOLS = ['mm_run', 'hrt_model_exec'] as const;
export type PeerTool = (typeof PEER_TOOLS)[number];

/** Which backend each vendor tool serves. */
export const PEER_BACKEND: Record<PeerTool, string> = { mm_run: 'magicmind', hrt_model_exec: 'hbdnn' };

export const PeerResultSchema = z.object({
  tool: z.enum(PEER_TOOLS),
  /** The tool's version as it printed it, when it did. */
  version: z.string().optional(),
  /** ok: figures parsed; failed: it ran but failed or printed nothing recognisable; absent: not on PATH. */
  status: z.enum(['ok', 'failed', 'absent']),
  reason: z.string().optional(),
  /** The command as run (an argument array: no shell). */
  command: z.array(z.string()).optional(),
  /** Its full output, relative to the run directory. */
  outputFile: z.string().optional(),
  /** Images per second by the tool's own definition. */
  qps: z.number().optional(),
  /** Mean latency per call by the tool's own definition, ms. */
  latencyMean: z.number().optional(),
  /** Every other figure it printed that was recognised (ms, counts), by name. */
  figures: z.record(z.string(), z.number()),
  /** infergate / tool for qps and mean latency. */
  ratio: z.object({ qps: z.number().optional(), latencyMean: z.number().optional() }),
  /** Output lines in the summary that were not recognised (kept verbatim, at most 20). */
  unrecognised: z.array(z.string()).optional(),
  warnings: z.array(z.string()),
  /** How a figure was derived from the tool's own (e.g. mm_run's stage latencies summed). */
  notes: z.array(z.string()).optional(),
});
export type PeerResult = z.output<typeof PeerResultSchema>;
