/** Where the bundled suites are: the embedded default (quickstart) and the suites/ folder. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../util/package-root.js';

/** The embedded default: the quickstart suite shipped with the package. */
export function defaultSuitePath(): string {
  return join(packageRoot(), 'suites', 'quickstart.yaml');
}

export function bundledSuites(): string[] {
  try {
    return readdirSync(join(packageRoot(), 'suites'))
      .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
      .sort()
      .map((f) => join(packageRoot(), 'suites', f));
  } catch {
    return [];
  }
}
