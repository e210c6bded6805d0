/**
 * `infergate convert [suite]`: converts every case of a suite for its target (MagicMind for the
 * MLU370 boards, hb_mapper for the RDK X5, the onnxruntime converter for ort-cpu) into the
 * artifact cache. Where the vendor toolchain is
 * missing, the build files are generated and kept, and the command says so and exits 3.
 */
import { loadDataset } from '../accuracy/dataset.js';
import { artifactKey, convertCase, suiteCalibration, type Conversion } from '../convert/index.js';
import { errorMessage, EXIT, InfraError } from '../errors.js';
import { resolveModel } from '../models/resolve.js';
import { checkSuite, expandSuite } from '../suite/expand.js';
import { loadSuiteFile } from '../suite/load.js';
import { defaultSuitePath } from './paths.js';
import { checkEnvironment } from './checks.js';
import type { z } from 'zod';
import { JSON_SCHEMA_VERSION, type ConvertJson } from './json-output.js';
import { displayPath, printJson } from './output.js';

export interface ConvertOptions {
  generateOnly?: boolean;
  force?: boolean;
  json?: boolean;
}

type ConvertedCase = z.infer<typeof ConvertJson>['cases'][number];

export async function convertCommand(suitePath: string | undefined, opts: ConvertOptions): Promise<number> {
  checkEnvironment();
  const loaded = loadSuiteFile(suitePath ?? defaultSuitePath(), checkSuite);
  const { suite } = loaded;
  const { cases } = expandSuite(suite);
  // With --json the lines go to stderr: stdout holds the one JSON document.
  const out = (line: string) => (opts.json ? process.stderr : process.stdout).write(line + '\n');
  const done: ConvertedCase[] = [];
  const evaluation = suite.dataset ? safeDataset(() => loadDataset(suite.dataset!, loaded.baseDir)) : undefined;
  const calibration = suiteCalibration(suite, loaded.baseDir, cases.filter((c) => c.target.backend !== 'sim'), loaded.file, evaluation);
  if (calibration) {
    out(`calibration: ${calibration.files.length} images from ${displayPath(calibration.folder)}${calibration.excludedForEvaluation ? ` (${calibration.excludedForEvaluation} left out: accuracy is scored on them)` : ''}`);
  }
  const seen = new Set<string>();
  let failures = 0;
  for (const c of cases) {
    if (seen.has(artifactKey(c))) continue;
    seen.add(artifactKey(c));
    if (c.target.backend === 'sim') {
      out(`${c.id}: SIMULATED device: nothing to convert`);
      done.push({ id: c.id, status: 'simulated', synthetic: false });
      continue;
    }
    const model = await resolveModel(c.model, loaded.baseDir, loaded.file);
    try {
      const conv: Conversion = await convertCase(c, model, suite, calibration, opts);
      const what = conv.artifact ? `built ${displayPath(conv.artifact)}` : `build files in ${displayPath(conv.dir)}`;
      out(`${c.id}: ${what}${model.weights === 'synthetic' ? ' (synthetic weights: for timing only)' : ''}`);
      done.push({ id: c.id, status: conv.artifact ? 'built' : 'build-files', ...(conv.artifact ? { artifact: conv.artifact } : {}), dir: conv.dir, synthetic: model.weights === 'synthetic' });
    } catch (err) {
      if (!(err instanceof InfraError)) throw err;
      failures++;
      process.stderr.write(`infergate: ${errorMessage(err)}\n`);
      done.push({ id: c.id, status: 'failed', synthetic: model.weights === 'synthetic', error: errorMessage(err) });
    }
  }
  if (opts.json) {
    const cal = calibration ? { folder: calibration.folder, images: calibration.files.length, excludedForEvaluation: calibration.excludedForEvaluation ?? 0 } : undefined;
    printJson({ schemaVersion: JSON_SCHEMA_VERSION, suite: loaded.file, ...(cal ? { calibration: cal } : {}), cases: done } satisfies z.infer<typeof ConvertJson>);
  }
  return failures ? EXIT.infrastructure : EXIT.ok;
}

function safeDataset<T>(load: () => T): T | undefined {
  try {
    return load();
  } catch {
    return undefined; // no dataset here (e.g. ImageNet not mounted): nothing to keep apart
  }
}
