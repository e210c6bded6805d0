/**
 * What a telemetry source is: detected once at the start of a case (absent sources cost nothing),
 * then polled by the sampler. A reading is one value of one metric on one device at the poll's
 * time; a rate (CPU utilisation) covers the time since the source's previous poll.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TelemetryMetric, TelemetrySourceId } from '../core/index.js';

export interface Reading {
  metric: TelemetryMetric;
  device: string;
  value: number;
  /** The value is an average since the previous poll (utilisation), not an instant's. */
  rate?: boolean;
  /** The ceiling this value is judged against (maximum frequency). */
  ceiling?: number;
}

export interface TelemetrySource {
  id: TelemetrySourceId;
  /** Where it reads from, for the results (paths, the tool). */
  from: string;
  /** Polled at most this often, whatever the suite's interval (spawning a tool is not free). */
  minIntervalMs: number;
  /** One poll. Throws (or rejects) with a reason when the output cannot be read; the sampler records it. */
  poll(): Reading[] | Promise<Reading[]>;
}

/** A source the case's target could use but this machine lacks, and why. */
export interface AbsentSource {
  id: TelemetrySourceId;
  reason: string;
}

/**
 * The roots /sys and /proc are read under: `/`, or INFERGATE_SYSFS_ROOT / INFERGATE_PROCFS_ROOT
 * (tests and the fake lab only: fixture trees holding sys/... and proc/...). Results say when a
 * fixture root was used.
 */
export function sysRoot(): string {
  return process.env.INFERGATE_SYSFS_ROOT || '/';
}

export function procRoot(): string {
  return process.env.INFERGATE_PROCFS_ROOT || '/';
}

/** A /sys or /proc path under its root ("sys/class/thermal", "proc/stat"). */
export function sysPath(rel: string): string {
  return join(rel.startsWith('proc/') ? procRoot() : sysRoot(), rel);
}

/** A small text file, trimmed; undefined when it cannot be read. */
export function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return undefined;
  }
}

/** A file holding one number; undefined when absent or not a number. */
export function readNumber(path: string): number | undefined {
  const t = readText(path);
  if (t === undefined || !/^-?\d+(\.\d+)?$/.test(t)) return undefined;
  return Number(t);
}
