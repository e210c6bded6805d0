/**
 * Many runs -> one results object: the same suite on several boards, or the shards of one suite.
 * Each case keeps the machine class, host and run it came from (the top-level env can name only
 * one machine: the newest run's); the runs themselves, with their fingerprints, are listed in
 * mergedFrom. Files of different schema versions are never mixed; a case met twice on the same
 * machine class keeps the newest run's figures, with a note.
 */
import { isAbsolute, join, relative } from 'node:path';
import { resultMachineClass, runMachineClass, summarizeCases, type CaseResult, type LoadedResults, type MergedRun, type RunResults } from '../core/index.js';
import { UserError } from '../errors.js';

export interface MergeOutcome {
  results: RunResults;
  /** What the merge decided (duplicates dropped, shards missing), for the terminal. */
  notes: string[];
}

/** A path a case names relative to its run folder, rewritten relative to the merged folder. */
function rebase(file: string | undefined, fromDir: string, outDir: string): string | undefined {
  if (!file || isAbsolute(file)) return file;
  return relative(outDir, join(fromDir, file));
}

function sourcesOf(loaded: LoadedResults): MergedRun[] {
  const r = loaded.results;
  if (r.mergedFrom?.length) return r.mergedFrom;
  const machineClass = runMachineClass(r.cases.map((c) => c.target), r.env);
  return [{ runId: r.runId, file: loaded.file, startedAt: r.startedAt, finishedAt: r.finishedAt, machineClass, host: r.env.host, ...(r.shard ? { shard: r.shard } : {}), env: r.env }];
}

export function mergeResults(inputs: readonly LoadedResults[], outDir: string, now = new Date()): MergeOutcome {
  if (inputs.length < 1) throw new UserError('merge: give at least one run folder or results.json.');
  const versions = new Set(inputs.map((i) => i.results.schemaVersion));
  if (versions.size > 1) {
    const list = inputs.map((i) => `${i.file} (schemaVersion ${i.results.schemaVersion})`).join(', ');
    throw new UserError(`merge: the results files have different schema versions and are never mixed: ${list}. Merge files of one version.`);
  }
  const notes: string[] = [];
  const kept = new Map<string, { c: CaseResult; startedAt: string; runId: string }>();
  const order: string[] = [];
  const sources: MergedRun[] = [];
  for (const loaded of inputs) {
    const r = loaded.results;
    const runs = sourcesOf(loaded);
    sources.push(...runs);
    for (const c of r.cases) {
      const runId = c.runId ?? r.runId;
      const src = runs.find((s) => s.runId === runId) ?? runs[0]!;
      const machineClass = resultMachineClass(c, src.env);
      const merged: CaseResult = {
        ...c,
        machineClass,
        host: c.host ?? src.host,
        runId,
        notes: [...c.notes],
        samplesFile: rebase(c.samplesFile, loaded.dir, outDir),
        ...(c.accuracy ? { accuracy: { ...c.accuracy, predictionsFile: rebase(c.accuracy.predictionsFile, loaded.dir, outDir) } } : {}),
        ...(c.telemetry ? { telemetry: { ...c.telemetry, file: rebase(c.telemetry.file, loaded.dir, outDir) } } : {}),
        ...(c.peers ? { peers: c.peers.map((p) => ({ ...p, outputFile: rebase(p.outputFile, loaded.dir, outDir) })) } : {}),
      };
      const id = `${machineClass}\u0000${c.id}`;
      const prev = kept.get(id);
      if (!prev) {
        order.push(id);
        kept.set(id, { c: merged, startedAt: src.startedAt, runId });
        continue;
      }
      const newer = src.startedAt >= prev.startedAt ? { c: merged, startedAt: src.startedAt, runId } : prev;
      const older = newer === prev ? runId : prev.runId;
      newer.c.notes.push(`merge: ${c.id} on ${machineClass} is also in run ${older} (older); this newest run's figures are kept`);
      notes.push(`${c.id} on ${machineClass}: in runs ${newer.runId} and ${older}; kept the newest (${newer.runId})`);
      kept.set(id, newer);
    }
  }
  const cases = order.map((id) => kept.get(id)!.c);
  const byTime = [...sources].sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1));
  const newest = byTime.at(-1)!;
  const suites = [...new Set(inputs.map((i) => i.results.suite.name))];
  notes.push(...missingShards(sources, suites));
  const first = inputs[0]!.results;
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const results: RunResults = {
    schemaVersion: first.schemaVersion,
    runId: `${suites.join('+')}-merged-${stamp}`,
    suite: suites.length === 1 ? first.suite : { name: suites.join('+'), file: 'merged', description: `merged from suites ${suites.join(', ')}` },
    startedAt: byTime[0]!.startedAt,
    finishedAt: [...sources].map((s) => s.finishedAt).sort().at(-1)!,
    env: newest.env,
    definitions: first.definitions,
    cases,
    summary: summarizeCases(cases),
    mergedFrom: sources,
  };
  return { results, notes };
}

/** Shards of one suite: say which of the N parts none of the inputs holds. */
function missingShards(sources: readonly MergedRun[], suites: readonly string[]): string[] {
  const sharded = sources.filter((s) => s.shard);
  if (!sharded.length || suites.length !== 1) return [];
  const counts = new Set(sharded.map((s) => s.shard!.count));
  if (counts.size !== 1) return [`the runs are shards of different splits (${[...counts].map((n) => `of ${n}`).join(', ')}): some cases may be missing or twice`];
  const n = [...counts][0]!;
  const have = new Set(sharded.map((s) => s.shard!.index));
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((k) => !have.has(k));
  return missing.length ? [`shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of ${n} missing: the merged file does not hold the whole suite`] : [];
}
