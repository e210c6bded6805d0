/**
 * What machine and software stack produced a result. Baselines key on the stable part
 * (machine class: CPU model + core count, or board), and comparisons diff the versions.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { EnvFingerprint } from '../core/index.js';
import { packageRoot } from '../util/package-root.js';

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function distro(): string | undefined {
  const text = readText('/etc/os-release');
  const m = text && /^PRETTY_NAME="?([^"\n]+)"?/m.exec(text);
  return m ? m[1] : undefined;
}

/** The CPU flags that change inference speed, when /proc/cpuinfo shows them. */
export function cpuFlags(): string[] | undefined {
  const text = readText('/proc/cpuinfo');
  const m = text && /^flags\s*:\s*(.*)$/m.exec(text);
  if (!m) return undefined;
  const interesting = new Set(['avx', 'avx2', 'fma', 'f16c', 'avx512f', 'avx512_vnni', 'avx_vnni', 'amx_int8', 'sse4_2', 'neon', 'asimd']);
  return m[1]!.split(/\s+/).filter((f) => interesting.has(f)).sort();
}

function gitCommit(root: string): { commit?: string; dirty?: boolean } {
  try {
    // Argument arrays only: nothing from a suite ever reaches a shell.
    const commit = execFileSync('git', ['-C', root, 'rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const status = execFileSync('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return { commit, dirty: status.trim().length > 0 };
  } catch {
    return {};
  }
}

export function infergateVersion(): string {
  const pkg = JSON.parse(readFileSync(`${packageRoot()}/package.json`, 'utf8')) as { version: string };
  return pkg.version;
}

/** A dependency's version from its package.json on disk (some packages' exports hide it from require). */
export function dependencyVersion(name: string): string | undefined {
  try {
    const text = readFileSync(`${packageRoot()}/node_modules/${name}/package.json`, 'utf8');
    return (JSON.parse(text) as { version: string }).version;
  } catch {
    return undefined;
  }
}

export function machineClass(cpuModel: string, cores: number): string {
  const model = cpuModel.replace(/\s+/g, ' ').replace(/\(R\)|\(TM\)|CPU|Processor|\d+-Core/gi, '').trim();
  return `${model.replace(/[^A-Za-z0-9.+-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '')}-${cores}c`;
}

export function collectFingerprint(targetVersions: Record<string, Record<string, string>> = {}): EnvFingerprint {
  const cpus = os.cpus();
  const cpuModel = cpus[0]?.model?.trim() || 'unknown-cpu';
  const runtimes: Record<string, string> = {};
  for (const dep of ['onnxruntime-node', 'sharp', 'tinybench']) {
    const v = dependencyVersion(dep);
    if (v) runtimes[dep] = v;
  }
  return {
    host: os.hostname(),
    os: { platform: os.platform(), release: os.release(), distro: distro(), arch: os.arch() },
    cpu: { model: cpuModel, logicalCores: cpus.length, flags: cpuFlags() },
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.versions.node,
    infergate: { version: infergateVersion(), ...gitCommit(packageRoot()) },
    runtimes,
    targets: targetVersions,
    machineClass: machineClass(cpuModel, cpus.length),
  };
}
