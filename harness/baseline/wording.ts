/** How the gate's reasons read: percentages, p-values and thresholds in the words a lab engineer uses. */

/** +9.8%, -0.5% */
export function signedPct(x: number): string {
  return `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`;
}

/** 3%, 25%, 2.5% */
export function plainPct(x: number): string {
  return `${Number((x * 100).toPrecision(3))}%`;
}

/** p = 1e-5 for small values, p = 0.034 otherwise. */
export function pText(p: number): string {
  return `p = ${p < 0.001 ? p.toExponential(0) : Number(p.toPrecision(2))}`;
}

/** 12,345 */
export function count(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** "10 blocks of 300 calls each side", or both sides when they differ (pooled baselines). */
export function blocksText(baseBlocks: number, baseCalls: number | undefined, nowBlocks: number, nowCalls: number | undefined, runs: number): string {
  const per = (calls: number | undefined, blocks: number) => (calls ? ` of ${count(calls / blocks)} calls` : '');
  const base = `${baseBlocks} baseline blocks${runs > 1 ? ` from ${runs} runs` : ''}${per(baseCalls, baseBlocks)}`;
  const now = `${nowBlocks} blocks${per(nowCalls, nowBlocks)} now`;
  if (runs <= 1 && baseBlocks === nowBlocks && per(baseCalls, baseBlocks) === per(nowCalls, nowBlocks)) return `${nowBlocks} blocks${per(nowCalls, nowBlocks)} each side`;
  return `${base} against ${now}`;
}

/** "+9.8% beyond the 3% threshold (and the baseline's 1.2% run-to-run spread)" */
export function beyondText(change: number, threshold: number, spread: number | undefined): string {
  return `${signedPct(change)} beyond the ${plainPct(threshold)} threshold${spread ? ` and the baseline's ${plainPct(spread)} run-to-run spread` : ''}`;
}
