/** `infergate history`: per case and metric, the series across runs and the steps in it; table, --json, --html. */
import { DEFAULT_ALPHA } from '../baseline/compare.js';
import { METRIC_IDS, METRICS, type MetricId } from '../core/index.js';
import { EXIT, UserError } from '../errors.js';
import { analyzeHistory } from '../history/analyze.js';
import { renderHistoryHtml } from '../history/html.js';
import { readHistoryParallel } from '../history/read-parallel.js';
import { renderHistoryTable } from '../history/table.js';
import { writeAtomic } from '../util/files.js';
import { checkWritableFile } from './checks.js';
import { gateOptionsFromFlags, type GateFlags } from './gate-options.js';
import { displayPath } from './output.js';

export interface HistoryCommandOptions extends Omit<GateFlags, 'failOn'> {
  case?: string;
  metric?: string;
  since?: string;
  json?: boolean;
  html?: string;
}

/** "60d", "12h", "2w" before now, or a date (2026-01-31): the start time runs must have. */
export function parseSince(text: string, now = Date.now()): number {
  const m = /^(\d+(?:\.\d+)?)\s*([hdw])$/.exec(text.trim());
  if (m) return now - Number(m[1]) * { h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as 'h' | 'd' | 'w'];
  const t = Date.parse(text);
  if (/^\d{4}-\d{2}-\d{2}/.test(text) && Number.isFinite(t)) return t;
  throw new UserError(`--since ${text}: expected an age like 60d, 12h or 2w, or a date like 2026-01-31.`);
}

export function parseMetrics(text: string | undefined): MetricId[] {
  const list = (text ?? 'qps').split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((m) => !METRIC_IDS.includes(m as MetricId));
  if (!list.length || bad.length) throw new UserError(`--metric ${text}: expected one or more of ${METRIC_IDS.join(', ')}, comma-separated.`);
  return [...new Set(list)] as MetricId[];
}

export async function historyCommand(dirs: string[], opts: HistoryCommandOptions): Promise<number> {
  const metrics = parseMetrics(opts.metric);
  const since = opts.since === undefined ? undefined : parseSince(opts.since);
  const gate = gateOptionsFromFlags(opts);
  if (opts.html) checkWritableFile('--html', opts.html, 'the history page is written there');
  const thresholds = Object.fromEntries(METRIC_IDS.map((m) => [m, gate.thresholds?.[m] ?? METRICS[m].threshold])) as Record<MetricId, number>;
  const { runs, files } = await readHistoryParallel(dirs, { metrics, casePattern: opts.case, since });
  const report = analyzeHistory(runs, { metrics, alpha: gate.alpha ?? DEFAULT_ALPHA, thresholds, caseFilter: opts.case, since: opts.since, files });
  if (!report.series.length) {
    process.stderr.write(`infergate: history: ${runs.length} runs in ${files} results files, but no case${opts.case ? ` matching '${opts.case}'` : ''} has ${metrics.join(' or ')}${opts.since ? ` since ${opts.since}` : ''}\n`);
  }
  if (opts.html) {
    writeAtomic(opts.html, await renderHistoryHtml(report));
    process.stderr.write(`infergate: wrote ${displayPath(opts.html)}\n`);
  }
  process.stdout.write(opts.json ? JSON.stringify(report, null, 2) + '\n' : renderHistoryTable(report));
  return EXIT.ok;
}
