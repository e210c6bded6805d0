/**
 * Loads the native addon (native/build/Release/infergate_native.node). If it did not build,
 * everything else still works and `reason` says why (the build's own last lines when recorded).
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { StopReason } from '../core/index.js';
import { packageRoot } from '../util/package-root.js';

export interface NativeThreadTimeline {
  starts: Float64Array;
  ends: Float64Array;
  deviceMs: Float64Array;
  sessionCreateMs: number;
  firstCallMs: number;
  warmupCalls: number;
  stoppedBy: StopReason;
}

export interface NativeTensorDesc {
  name: string;
  dtype: string;
  dims: number[];
  bytes: number;
  layout: string;
  /** The model takes its batch per call (MagicMind graph_shape_mutable); else dims[0] is fixed. */
  mutableBatch?: boolean;
}

export interface NativeSessionHandle {
  inputs(): NativeTensorDesc[];
  outputs(): NativeTensorDesc[];
  /** One call; `batch` sets a mutable-batch model's dims for it (a fixed batch refuses another). */
  infer(inputs: ArrayBufferView[], options?: { batch?: number }): Promise<Float32Array[]>;
  close(): void;
}

export interface NativeAddon {
  runDriver(config: {
    backend: string;
    artifact?: string;
    options: Record<string, string | number>;
    threads: number;
    warmupSeconds: number;
    warmupIterations: number;
    minSeconds: number;
    minIterations: number;
    maxSeconds: number;
    cancel?: Int32Array;
  }): Promise<{ threads: NativeThreadTimeline[] }>;
  /** Now on the driver's clock (ms), the clock of runDriver's timelines; absent in addons built before it. */
  clockMs?: () => number;
  compiledBackends(): string[];
  versions(backend: string): Record<string, string>;
  NativeSession: new (backend: string, artifact: string, options: Record<string, string | number>) => NativeSessionHandle;
  /** dst[at + i] = luts[256 * channel(i) + bytes[i]] (feed.ts); absent in addons built before it. */
  feedThroughLut?: (dst: Float32Array, at: number, bytes: Uint8Array, luts: Float32Array, planar: boolean) => void;
  /** Only in builds against infergate's fake vendor SDKs (test/fake-sdk): their call traces. */
  fakeSdkReport?: (which: 'hbdnn' | 'magicmind', reset?: boolean) => string;
}

let cached: { addon?: NativeAddon; reason?: string; path: string } | undefined;

export function nativeAddonPath(): string {
  return process.env.INFERGATE_NATIVE_ADDON ?? join(packageRoot(), 'native', 'build', 'Release', 'infergate_native.node');
}

export function loadNative(): { addon?: NativeAddon; reason?: string; path: string } {
  if (cached) return cached;
  const path = nativeAddonPath();
  if (!existsSync(path)) {
    const failed = join(packageRoot(), 'native', 'build', 'BUILD_FAILED.txt');
    const why = existsSync(failed)
      ? `the build failed at install: ${readFileSync(failed, 'utf8').trim().split('\n').slice(-3).join(' / ')} (rebuild: npm run build:native)`
      : 'it is not built (run npm run build:native; it needs python3, make and g++)';
    cached = { reason: `native addon missing: ${why}`, path };
    return cached;
  }
  try {
    cached = { addon: createRequire(import.meta.url)(path) as NativeAddon, path };
  } catch (err) {
    cached = { reason: `native addon at ${path} does not load: ${(err as Error).message.split('\n')[0]}`, path };
  }
  return cached;
}

/**
 * True when the loaded addon was built against infergate's fake vendor SDKs (the fake lab, CI):
 * its magicmind/hbdnn results are test doubles' and must say FAKE SDK everywhere.
 */
export function fakeSdkBuild(): boolean {
  return typeof loadNative().addon?.fakeSdkReport === 'function';
}
