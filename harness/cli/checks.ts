/**
 * Paths the user names through flags and environment variables, checked before any work: a
 * file where a folder belongs, a folder that cannot be written, a variable naming nothing. Each
 * is a mistake the user fixes (exit 2), said with the flag or variable that named it.
 */
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, dirname, resolve } from 'node:path';
import { UserError } from '../errors.js';

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** The nearest folder that exists at or above path (where a new folder would be made). */
function existingAncestor(path: string): string {
  let p = resolve(path);
  while (!existsSync(p) && dirname(p) !== p) p = dirname(p);
  return p;
}

/** A folder infergate will write into: a folder (or creatable), and writable. `shown` is what the message names (default the folder). */
export function checkWritableFolder(name: string, path: string, why: string, shown = path): void {
  const abs = resolve(path);
  if (existsSync(abs)) {
    if (!statSync(abs).isDirectory()) throw new UserError(`${name} ${shown}: ${shown === path ? 'it' : abs} is a file, not a folder; ${why}.`);
    if (!writable(abs)) throw new UserError(`${name} ${shown}: ${shown === path ? 'the folder' : `its folder ${abs}`} cannot be written (read-only or no permission); ${why}.`);
    return;
  }
  const base = existingAncestor(abs);
  if (!statSync(base).isDirectory()) throw new UserError(`${name} ${shown}: ${base} is a file, not a folder; ${why}.`);
  if (!writable(base)) throw new UserError(`${name} ${shown}: ${base} cannot be written (read-only or no permission), so the folder cannot be made; ${why}.`);
}

/** A file infergate will write (or replace) atomically: its folder must be writable, and it must not be a folder. */
export function checkWritableFile(name: string, path: string, why: string): void {
  const abs = resolve(path);
  if (existsSync(abs) && statSync(abs).isDirectory()) throw new UserError(`${name} ${path}: it is a folder; ${why}.`);
  if (existsSync(abs) && !writable(abs)) throw new UserError(`${name} ${path}: the file cannot be written (read-only or no permission); ${why}.`);
  checkWritableFolder(name, dirname(abs), why, path);
}

/** INFERGATE_CACHE and INFERGATE_ASSETS, when set, must name usable folders. */
export function checkEnvironment(env: NodeJS.ProcessEnv = process.env): void {
  if (env.INFERGATE_CACHE) checkWritableFolder('INFERGATE_CACHE', env.INFERGATE_CACHE, 'it names the cache folder (converted models, synthetic weights); unset it for the default ~/.cache/infergate');
  for (const p of (env.INFERGATE_ASSETS ?? '').split(delimiter).filter((x) => x.trim())) {
    const abs = resolve(p.trim());
    if (!existsSync(abs)) throw new UserError(`INFERGATE_ASSETS: '${p}' does not exist; it lists folders holding models/ and imagenet/ (separated by '${delimiter}').`);
    if (!statSync(abs).isDirectory()) throw new UserError(`INFERGATE_ASSETS: '${p}' is a file, not a folder; it lists folders holding models/ and imagenet/ (separated by '${delimiter}').`);
  }
}

/** The results store a run goes into: --results-dir, else INFERGATE_RESULTS, checked like --out. */
export function storeFolder(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const why = 'it names the results store (runs go to <machine class>/<run id>/ inside it)';
  if (flag) {
    checkWritableFolder('--results-dir', flag, why);
    return flag;
  }
  if (env.INFERGATE_RESULTS) {
    checkWritableFolder('INFERGATE_RESULTS', env.INFERGATE_RESULTS, `${why}; unset it for reports/<run id>/`);
    return env.INFERGATE_RESULTS;
  }
  return undefined;
}
