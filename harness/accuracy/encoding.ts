/**
 * What an input encoding is: the preprocessing spec the pipeline runs (preprocess.ts lays out
 * the bytes) and the rule in words, which the results state for every scored case.
 */
import type { PreprocessSpec } from '../models/registry.js';

export interface Encoding {
  spec: PreprocessSpec;
  /** The resize/crop/colour/layout rule and where it comes from, for the report. */
  rule: string;
}

/** "RGB, resize 256x256 (stretched, bilinear), centre crop 224x224": the geometric part of a spec. */
export function describeRule(spec: PreprocessSpec): string {
  const r = spec.resize;
  const resize =
    'shorter' in r
      ? `resize shorter side to ${r.shorter} (aspect kept, ${spec.kernel})`
      : r.fit === 'letterbox'
        ? `letterbox into ${r.width}x${r.height} (aspect kept, grey 127 padding, ${spec.kernel})`
        : `resize to ${r.width}x${r.height} (aspect not kept, ${spec.kernel})`;
  const box = 'shorter' in r ? undefined : r;
  const crop = box && box.width === spec.crop.width && box.height === spec.crop.height ? 'no crop' : `centre crop ${spec.crop.width}x${spec.crop.height}`;
  return `${spec.colour}, ${resize}, ${crop}`;
}
