/** `infergate list`: the targets, models and bundled suites this build knows. */
import { basename } from 'node:path';
import { EXIT, UserError } from '../errors.js';
import { findAsset } from '../models/assets.js';
import { MODELS, SYNTHETIC_SUFFIX } from '../models/registry.js';
import { TARGETS } from '../targets/catalog.js';
import { JSON_SCHEMA_VERSION } from './json-output.js';
import { printJson } from './output.js';
import { bundledSuites } from './paths.js';

export async function listCommand(what: string | undefined, opts: { json?: boolean }): Promise<number> {
  const sections = what ? [what] : ['targets', 'models', 'suites'];
  for (const s of sections) {
    if (!['targets', 'models', 'suites'].includes(s)) throw new UserError(`list: unknown section '${s}' (known: targets, models, suites)`);
  }
  const data = {
    targets: TARGETS.map((t) => ({ id: t.id, backend: t.backend, device: t.device, simulated: t.simulated, precisions: t.precisions, description: t.description })),
    models: MODELS.map((m) => ({
      id: m.id,
      synthetic: m.synthetic ? m.id + SYNTHETIC_SUFFIX : undefined,
      found: findAsset(m.assetPath) ?? null,
      description: m.description,
    })),
    suites: bundledSuites().map((p) => ({ name: basename(p), path: p })),
  };
  if (opts.json) {
    printJson({ schemaVersion: JSON_SCHEMA_VERSION, ...Object.fromEntries(sections.map((s) => [s, data[s as keyof typeof data]])) });
    return EXIT.ok;
  }
  const out: string[] = [];
  if (sections.includes('targets')) {
    out.push('targets:');
    for (const t of data.targets) out.push(`  ${t.id.padEnd(15)} ${t.simulated && !/SIMULATED/.test(t.description) ? 'SIMULATED ' : ''}${t.description} [${t.precisions.join(', ')}]`);
  }
  if (sections.includes('models')) {
    out.push('models:');
    for (const m of data.models) {
      out.push(`  ${m.id.padEnd(26)} ${m.description}; ${m.found ? 'file found' : 'file not found'}${m.synthetic ? `; also ${m.synthetic}` : ''}`);
    }
  }
  if (sections.includes('suites')) {
    out.push('suites:');
    for (const s of data.suites) out.push(`  ${s.path}`);
  }
  process.stdout.write(out.join('\n') + '\n');
  return EXIT.ok;
}
