/**
 * The native addon built against our fake vendor SDKs (test/fake-sdk/build.mjs; never part of a
 * production build), with the fakes' call traces and live-resource counts, for the vendor tests.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { NativeAddon } from '../../harness/targets/native.js';
import { ROOT, tempDir } from '../helpers.js';

export type Fake = 'hbdnn' | 'magicmind';

interface FakeAddon extends NativeAddon {
  fakeSdkReport(which: Fake, reset?: boolean): string;
}

const build = spawnSync(process.execPath, [join(ROOT, 'test', 'fake-sdk', 'build.mjs')], { encoding: 'utf8' });
if (build.status !== 0) throw new Error(`building the fake-SDK addon failed:\n${build.stderr}`);
export const addon = createRequire(import.meta.url)(build.stdout.trim()) as FakeAddon;

export const dir = tempDir();
export const model = join(dir, 'model.bin');
writeFileSync(model, 'fake model');

export const trace = (which: Fake) => addon.fakeSdkReport(which).split('\n').slice(1);
export const live = (which: Fake) => addon.fakeSdkReport(which).split('\n')[0];
export const reset = (which: Fake) => addon.fakeSdkReport(which, true);

export async function withEnv<T>(env: Record<string, string>, fn: () => Promise<T>): Promise<T> {
  Object.assign(process.env, env);
  try {
    return await fn();
  } finally {
    for (const k of Object.keys(env)) delete process.env[k];
  }
}
