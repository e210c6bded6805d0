/**
 * `infergate convert [suite]`: converts every case of a suite for its target (MagicMind for the
 * MLU370 boards, hb_mapper for the RDK X5) into the artifact cache. Where the vendor toolchain is
 * missing, the build files are generated and kept, and the command says so and exits 3.
 */
import { loadDataset } from '../accuracy/dataset.js';
import { loadCalibration, type CalibrationSet } from '../convert/calibration.js';
import { convertHbMapper, convertMagicMind, type VendorConversion } from '../convert/vendor.js';
import { errorMessage, EXIT, InfraError, UserError } from '../errors.js';
import { resolveModel } from '../models/resolve.js';
import { checkSuite, expandSuite, type Case } from '../suite/expand.js';
import { loadSuiteFile } from '../suite/load.js';
import { defaultSuitePath } from './paths.js';
import { displayPath } from './output.js';

export interface ConvertOptions {
  generateOnly?: boolean;
  force?: boolean;
}

/** Cases that need the same artifact share one conversion. */
function artifactKey(c: Case): string {
  return c.target.backend === 'hbdnn' ? `${c.key.model}|${c.target.id}` : `${c.key.model}|${c.target.id}|${c.key.precision}|${c.key.batch}`;
}

export async function convertCommand(suitePath: string | undefined, opts: ConvertOptions): Promise<number> {
  const loaded = loadSuiteFile(suitePath ?? defaultSuitePath(), checkSuite);
  const { suite } = loaded;
  const { cases } = expandSuite(suite);
  const out = (line: string) => process.stdout.write(line + '\n');
  let calibration: CalibrationSet | undefined;
  const needsCalibration = cases.some((c) => c.target.backend === 'hbdnn' || (c.target.backend === 'magicmind' && c.key.precision === 'qint8_mixed_float16'));
  if (needsCalibration) {
    if (!suite.calibration) throw new UserError(`${loaded.file} calibration: int8 conversion (hb_mapper, qint8_mixed_float16) needs calibration images; add a calibration section (images, select).`);
    const evaluation = suite.dataset ? safeDataset(() => loadDataset(suite.dataset!, loaded.baseDir)) : undefined;
    calibration = loadCalibration(suite.calibration, loaded.baseDir, evaluation);
    out(`calibration: ${calibration.files.length} images from ${displayPath(calibration.folder)}${calibration.excludedForEvaluation ? ` (${calibration.excludedForEvaluation} left out: accuracy is scored on them)` : ''}`);
  }
  const seen = new Set<string>();
  let failures = 0;
  for (const c of cases) {
    if (seen.has(artifactKey(c))) continue;
    seen.add(artifactKey(c));
    if (c.target.backend === 'sim') {
      out(`${c.id}: SIMULATED device: nothing to convert`);
      continue;
    }
    if (c.target.backend === 'ort') {
      out(`${c.id}: onnxruntime runs the source ONNX (optimised when the session loads)`);
      continue;
    }
    const model = await resolveModel(c.model, loaded.baseDir);
    try {
      const conv: VendorConversion = c.target.backend === 'magicmind' ? await convertMagicMind(c, model, { calibration, generateOnly: opts.generateOnly, force: opts.force }) : await convertHbMapper(c, model, { calibration, generateOnly: opts.generateOnly, force: opts.force });
      const what = conv.artifact ? `built ${displayPath(conv.artifact)}` : `build files in ${displayPath(conv.dir)}`;
      out(`${c.id}: ${what}${model.weights === 'synthetic' ? ' (synthetic weights: for timing only)' : ''}`);
    } catch (err) {
      if (!(err instanceof InfraError)) throw err;
      failures++;
      process.stderr.write(`infergate: ${errorMessage(err)}\n`);
    }
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
