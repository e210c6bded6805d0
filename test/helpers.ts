/** Shared test fixtures: temp folders, a tiny ONNX model, and running the CLI as a user would. */
import { spawn, spawnSync } from 'node:child_process';
import { test } from 'uvu';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../harness/util/package-root.js';
import { encodeModel, floatTensor, intsAttr, node, valueInfo } from '../harness/models/onnx.js';

export const ROOT = packageRoot();
export const SHARED_ASSETS = join(ROOT, '..', 'shared', 'assets');
export const HAVE_SHARED = existsSync(join(SHARED_ASSETS, 'models', 'mobilenetv2-int8-qdq.onnx'));

export function tempDir(prefix = 'infergate-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** One test-process-wide cache, so the synthetic ResNet is generated once per `npm test`. */
export const TEST_CACHE = process.env.INFERGATE_CACHE ?? join(tmpdir(), 'infergate-test-cache');
process.env.INFERGATE_CACHE = TEST_CACHE;

/** A 3x8x8 -> Conv(4) -> GlobalAveragePool -> [N,4] model: milliseconds per call, real ONNX. */
export function writeTinyModel(dir: string, name = 'tiny.onnx'): string {
  const w = new Float32Array(4 * 3 * 3 * 3).map((_, i) => ((i % 7) - 3) / 10);
  const bytes = encodeModel({
    irVersion: 7,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'tiny',
      node: [
        node('Conv', ['x', 'w'], ['c'], 'conv', [intsAttr('kernel_shape', [3, 3]), intsAttr('pads', [1, 1, 1, 1])]),
        node('GlobalAveragePool', ['c'], ['p'], 'pool'),
        node('Flatten', ['p'], ['y'], 'flat'),
      ],
      initializer: [floatTensor('w', [4, 3, 3, 3], w)],
      input: [valueInfo('x', ['N', 3, 8, 8])],
      output: [valueInfo('y', ['N', 4])],
    },
  });
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string | undefined> } = {}): CliResult {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'infergate.js'), ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0', INFERGATE_CACHE: TEST_CACHE, ...options.env },
    timeout: 240_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

export function writeSuite(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

type TestBody = Parameters<typeof test>[1];

/**
 * A test that needs something this machine may lack (../shared/assets, the native addon, a
 * browser): registered normally when it is here; otherwise uvu counts it as skipped, never as
 * passed, and the reason is printed. CI always has what these need.
 */
export function testWhen(available: boolean, reason: string): (name: string, body: TestBody) => void {
  return (name, body) => {
    if (available) return test(name, body);
    console.log(`  skipped '${name}': ${reason}`);
    test.skip(name, body);
  };
}

export const assetTest = testWhen(HAVE_SHARED, `${SHARED_ASSETS} is absent (CI always has it and runs this)`);

/** Every temporary or lock file left under a folder (*.tmp, *.tmp/ cache entries, run.lock): a failure must leave none. */
export function tempFiles(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (/\.tmp$/.test(e.name) || e.name === 'run.lock') found.push(p);
      else if (e.isDirectory()) walk(p);
    }
  };
  if (existsSync(root)) walk(root);
  return found;
}

/** Starts the CLI in the background; `onLine` sees each stderr line as it arrives, with the CLI's pid. */
export function startCli(args: string[], onLine: (line: string, pid: number) => void = () => {}, cwd = ROOT): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'infergate.js'), ...args], { cwd, env: { ...process.env, INFERGATE_CACHE: TEST_CACHE, NO_COLOR: '1' } });
  let stderr = '';
  let pending = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
    pending += chunk.toString();
    const parts = pending.split('\n');
    pending = parts.pop()!;
    for (const line of parts) onLine(line, child.pid!);
  });
  child.stdout.resume();
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal, stderr })));
}

/** A tmpfs of the test's own (root only): a read-only or a nearly full folder. */
export function mountTmpfs(where: string, options: string): boolean {
  mkdirSync(where, { recursive: true });
  return spawnSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', where]).status === 0;
}

/** Whether this machine lets the tests mount a tmpfs (CI runs as root; a developer may not). */
export const CAN_MOUNT = (() => {
  const probe = mkdtempSync(join(tmpdir(), 'infergate-mount-probe-'));
  const ok = mountTmpfs(probe, 'size=64k');
  if (ok) spawnSync('umount', [probe]);
  return ok;
})();
