/** `infergate doctor`: what works on this machine, what does not, and why. */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../errors.js';
import { dependencyVersion } from '../env/fingerprint.js';
import { assetRoots, cacheDir, findAsset } from '../models/assets.js';
import { MODELS } from '../models/registry.js';
import { encodeModel, node, valueInfo } from '../models/onnx.js';
import { terminalChalk } from '../report/terminal.js';
import { TARGETS } from '../targets/catalog.js';
import { targetAvailability } from '../targets/availability.js';
import { loadNative } from '../targets/native.js';
import { labChecks, type LabCheck } from './doctor-lab.js';

import type { z } from 'zod';
import { DoctorJson, JSON_SCHEMA_VERSION } from './json-output.js';
import { printJson } from './output.js';

const require = createRequire(import.meta.url);

interface Check {
  name: string;
  ok: boolean;
  /** A required check that fails makes the machine unusable (exit 3); the others limit what runs. */
  required: boolean;
  detail: string;
}

/** Proves onnxruntime can build a session and run, on a one-node graph made here. */
async function ortSmokeTest(): Promise<Check> {
  try {
    const ort = await import('onnxruntime-node');
    const bytes = encodeModel({
      irVersion: 7,
      opsetImport: [{ domain: '', version: 13 }],
      graph: { name: 'doctor', node: [node('Relu', ['x'], ['y'], 'relu')], input: [valueInfo('x', [2])], output: [valueInfo('y', [2])] },
    });
    const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 3 });
    const out = await session.run({ x: new ort.Tensor('float32', new Float32Array([-1, 2]), [2]) });
    const y = Array.from(out.y!.data as Float32Array);
    await session.release();
    const ok = y[0] === 0 && y[1] === 2;
    return { name: 'onnxruntime-node', ok, required: true, detail: ok ? `${ort.env.versions.node ?? ''} loads and runs a graph on the CPU` : `wrong result ${y}` };
  } catch (err) {
    return { name: 'onnxruntime-node', ok: false, required: true, detail: `cannot run: ${(err as Error).message.split('\n')[0]}` };
  }
}

function moduleCheck(name: string, why: string): Check {
  try {
    require(name);
    return { name, ok: true, required: false, detail: `${dependencyVersion(name) ?? 'unknown version'} loads (${why})` };
  } catch (err) {
    return { name, ok: false, required: false, detail: `does not load: ${(err as Error).message.split('\n')[0]} (${why})` };
  }
}

export type DoctorReport = z.infer<typeof DoctorJson>;

export async function collectDoctor(): Promise<DoctorReport> {
  const checks: Check[] = [];
  const [major, minor] = process.versions.node.split('.').map(Number);
  checks.push({ name: 'node', required: true, ok: major! > 20 || (major === 20 && minor! >= 9), detail: `${process.versions.node} (needs >= 20.9)` });
  checks.push(await ortSmokeTest());
  checks.push(moduleCheck('sharp', 'image decoding for accuracy runs'));
  const native = loadNative();
  checks.push({
    name: 'native addon',
    ok: Boolean(native.addon),
    required: false,
    detail: native.addon ? `${native.path}; backends compiled in: ${native.addon.compiledBackends().join(', ')}` : (native.reason ?? 'unavailable'),
  });
  // One check per folder, numbered in search order: check names are unique keys for --json readers.
  assetRoots().forEach((root, i) => checks.push({ name: `asset folder ${i + 1}`, ok: existsSync(root), required: false, detail: `${root}${existsSync(root) ? '' : ' (absent)'}` }));
  for (const m of MODELS) {
    const found = findAsset(m.assetPath);
    checks.push({
      name: `model ${m.id}`,
      ok: Boolean(found),
      required: false,
      detail: found ? found : `not found${m.synthetic ? `; ${m.id}@synthetic (seeded weights) is used for timing` : ''}${m.url ? "; 'npm run assets' fetches it" : ''}`,
    });
  }
  for (const rel of ['imagenet/val.txt', 'imagenet/val-100', 'imagenet/val-1300-227']) {
    const found = findAsset(rel);
    checks.push({ name: `dataset ${rel}`, ok: Boolean(found), required: false, detail: found ?? 'not found (accuracy runs need it or your own ImageNet folder)' });
  }
  checks.push({ name: 'cache', ok: true, required: false, detail: cacheDir() + (process.env.INFERGATE_CACHE ? ' (INFERGATE_CACHE)' : '') });
  const targets = TARGETS.map((t) => {
    const a = targetAvailability(t);
    return { id: t.id, available: a.available, reason: a.reason, simulated: t.simulated };
  });
  const status = checks.some((c) => c.required && !c.ok) ? 'failed' : checks.some((c) => !c.ok) || targets.some((t) => t.simulated && !t.available) ? 'degraded' : 'ok';
  return { schemaVersion: JSON_SCHEMA_VERSION, status, checks, targets, lab: labChecks() };
}

export async function doctorCommand(opts: { json?: boolean }): Promise<number> {
  const report = await collectDoctor();
  if (opts.json) {
    printJson(report);
  } else {
    const c = terminalChalk(process.stdout);
    const mark = (ok: boolean) => (ok ? c.green('ok  ') : c.yellow('no  '));
    process.stdout.write(c.bold('infergate doctor') + '\n');
    for (const check of report.checks) process.stdout.write(`  ${mark(check.ok)}${check.name}: ${check.detail}\n`);
    process.stdout.write(c.bold('targets') + '\n');
    for (const t of report.targets) {
      process.stdout.write(`  ${mark(t.available)}${t.id}${t.simulated ? ' (SIMULATED)' : ''}${t.available ? '' : `: ${t.reason}`}\n`);
    }
    // The README's "Running on a lab machine" steps, with what this machine has.
    process.stdout.write(c.bold('lab machine checklist (README: Running on a lab machine)\n'));
    let machine = '';
    for (const item of report.lab) {
      if (item.machine !== machine) process.stdout.write(`  ${(machine = item.machine)}\n`);
      process.stdout.write(`    ${mark(item.ok)}${item.name}: ${item.detail}\n`);
    }
    process.stdout.write(`\nstatus: ${report.status}\n`);
    process.stdout.write(`\nLook-up order for assets: INFERGATE_ASSETS, then ${join('..', 'shared', 'assets')}, then the cache.\n`);
  }
  return report.status === 'failed' ? EXIT.infrastructure : EXIT.ok;
}
