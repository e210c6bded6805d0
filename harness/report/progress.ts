/** Progress on stderr: evaluation (images scored) and the live line of a measuring case. */
import type { MeasureProgress, RunLength } from '../core/index.js';

/** Progress for long evaluations: a redrawn line on a TTY, a line every 10% otherwise. */
export function progressReporter(stream: NodeJS.WriteStream, label: string): (done: number, total: number, rate: number) => void {
  let lastDecile = -1;
  return (done, total, rate) => {
    const text = `${label} ${done}/${total} images, ${rate.toFixed(1)} img/s`;
    if (stream.isTTY) {
      const width = 24;
      const filled = Math.round((done / total) * width);
      stream.write(`\r      [${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${text}${done === total ? '\n' : ''}`);
      return;
    }
    const decile = Math.floor((done / total) * 10);
    if (decile !== lastDecile && (decile > lastDecile || done === total)) {
      lastDecile = decile;
      stream.write(`      ${text}\n`);
    }
  };
}

/** Where a measuring case stands in its run, for the live line. */
export interface CaseProgressInfo {
  index: number;
  total: number;
  caseId: string;
  runLength: RunLength;
  threads: number;
  batch: number;
  caseStartedMs: number;
  runStartedMs: number;
  /** Expected seconds of the cases still to run after this one (warm-up + minDuration each). */
  laterSeconds: number;
}

export interface LiveProgress {
  /** A log line, printed above the live line (which is redrawn below it). */
  log(line: string): void;
  measuring(info: CaseProgressInfo, p: MeasureProgress): void;
  /** The case ended: its live line goes away. */
  clear(): void;
}

const clock = (s: number) => {
  const t = Math.max(0, Math.round(s));
  return t >= 3600 ? `${Math.floor(t / 3600)}:${String(Math.floor(t / 60) % 60).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}` : `${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}`;
};

/**
 * Seconds the case still needs, from the run-length policy: what is left of the warm-up, then
 * until both minDuration and minIterations hold (the calls so far give the pace), at most
 * maxDuration. Without observable calls (the native driver), minDuration.
 */
export function caseSecondsLeft(r: RunLength, threads: number, p: MeasureProgress): number {
  if (p.phase === 'warmup') return Math.max(0, r.warmupSeconds - p.phaseSeconds) + r.minSeconds;
  const perThread = p.calls ? p.calls / threads : 0;
  const byIterations = perThread > 0 ? (r.minIterations * p.phaseSeconds) / perThread : 0;
  return Math.max(0, Math.min(r.maxSeconds, Math.max(r.minSeconds, byIterations)) - p.phaseSeconds);
}

export function progressLine(info: CaseProgressInfo, p: MeasureProgress, nowMs: number): string {
  const left = caseSecondsLeft(info.runLength, info.threads, p);
  const caseElapsed = (nowMs - info.caseStartedMs) / 1000;
  const what =
    p.phase === 'warmup'
      ? `warm-up ${p.phaseSeconds.toFixed(1)} s`
      : `measuring ${p.phaseSeconds.toFixed(1)} s${p.calls !== undefined ? `, ${p.calls} calls, ${p.phaseSeconds > 0 ? ((p.calls * info.batch) / p.phaseSeconds).toFixed(1) : '0.0'} qps` : ''}`;
  return `[${info.index + 1}/${info.total}] ${info.caseId}: ${what}; case ${clock(caseElapsed)} elapsed, ~${clock(left)} left; run ${clock((nowMs - info.runStartedMs) / 1000)} elapsed, ~${clock(left + info.laterSeconds)} left`;
}

/**
 * On a TTY one line redrawn in place (cut to the terminal's width, so that it never wraps); else
 * a plain line every `plainEverySeconds` of a case. Never on stdout: --json keeps stdout clean.
 */
export function liveProgress(stream: NodeJS.WriteStream, plainEverySeconds = 10): LiveProgress {
  const tty = Boolean(stream.isTTY);
  let shown = '';
  let lastPlain = 0;
  const draw = (line: string) => {
    shown = line.slice(0, Math.max(20, (stream.columns || 120) - 1));
    stream.write(`\r\x1b[2K${shown}`);
  };
  const erase = () => {
    if (shown) stream.write('\r\x1b[2K');
  };
  return {
    log(line) {
      if (!tty) return void stream.write(line + '\n');
      erase();
      stream.write(line + '\n');
      if (shown) stream.write(shown);
    },
    measuring(info, p) {
      const now = Date.now();
      const line = progressLine(info, p, now);
      if (tty) return draw(line);
      if (lastPlain < info.caseStartedMs) lastPlain = info.caseStartedMs;
      if (now - lastPlain >= plainEverySeconds * 1000) {
        lastPlain = now;
        stream.write(`      ${line}\n`);
      }
    },
    clear() {
      erase();
      shown = '';
    },
  };
}
