/**
 * MagicMind input encoding, as Cambricon's own ResNet50 sample does it (magicmind_cloud v1.7,
 * buildin/cv/classification/resnet50_onnx, gen_model/preprocess.py + infer_python/infer.py): the
 * image decoded as RGB, cv2.resize to 256x256 (no aspect kept; bilinear, cv2's default), centre
 * crop 224 at ((256 - 224) // 2), raw 0-255 values in NHWC; the normalisation was moved into the
 * graph by insert_bn_before_firstnode, which also makes the model's input UINT8.
 *
 * The model's input type and layout are read at run time (NativeSession.inputs()), never assumed:
 * uint8 takes raw bytes; float32 (a model built without insert_bn) takes ImageNet-normalised
 * values; NHWC or NCHW as the model says. Anything else, or a suite override that contradicts
 * the model, is refused with the reason.
 */
import { UserError } from '../errors.js';
import type { PreprocessSpec } from '../models/registry.js';
import type { NativeTensorDesc } from '../targets/native.js';
import { describeRule, type Encoding } from './encoding.js';

export const MAGICMIND_SAMPLE = 'Cambricon magicmind_cloud v1.7 resnet50_onnx sample (gen_model/preprocess.py)';

/** The sample's rule: RGB, 256x256 stretched, bilinear, centre crop 224, uint8 NHWC raw. */
export const MAGICMIND_RULE: PreprocessSpec = {
  resize: { width: 256, height: 256 },
  kernel: 'bilinear',
  crop: { width: 224, height: 224 },
  colour: 'RGB',
  layout: 'NHWC',
  dtype: 'uint8',
  scale: 1,
  mean: [0, 0, 0],
  std: [1, 1, 1],
};

/** ImageNet normalisation on 0-255 values, for a float32 input (no insert_bn in the model). */
const NORMALISED = { scale: 1, mean: [123.675, 116.28, 103.53] as [number, number, number], std: [58.395, 57.12, 57.375] as [number, number, number] };

/**
 * The encoding for a MagicMind model's first input, from the sample's rule with the suite's
 * overrides (dataset.preprocess: resize, kernel, crop, colour; layout/dtype only to confirm).
 */
export function magicmindEncoding(input: NativeTensorDesc, override: Partial<PreprocessSpec> = {}): Encoding {
  const where = `MagicMind model input '${input.name}' (${input.dtype} [${input.dims.join(', ')}] ${input.layout || 'no layout'})`;
  if (input.dims.length !== 4) throw new UserError(`${where}: expected a 4-dimensional image input`);
  if (input.layout !== 'NHWC' && input.layout !== 'NCHW') throw new UserError(`${where}: its layout is neither NHWC nor NCHW; the image encoding cannot lay it out`);
  if (input.dtype !== 'uint8' && input.dtype !== 'float32') {
    throw new UserError(`${where}: the image encoding feeds uint8 (normalisation in the graph, insert_bn) or float32; build the model with one of those input types`);
  }
  const layout = input.layout;
  const dtype = input.dtype;
  for (const [field, wanted, actual] of [['layout', override.layout, layout], ['dtype', override.dtype, dtype]] as const) {
    if (wanted !== undefined && wanted !== actual) throw new UserError(`dataset.preprocess.${field}: the suite asks for ${wanted}, but ${where} takes ${actual}; remove the override or rebuild the model`);
  }
  const [h, w, c] = layout === 'NHWC' ? input.dims.slice(1) : [input.dims[2], input.dims[3], input.dims[1]];
  if (c !== 3) throw new UserError(`${where}: ${c} channels, the image encoding makes 3`);
  const values = dtype === 'uint8' ? { scale: 1, mean: [0, 0, 0] as [number, number, number], std: [1, 1, 1] as [number, number, number] } : NORMALISED;
  const { layout: _l, dtype: _d, output: _o, ...rule } = override;
  const spec: PreprocessSpec = { ...MAGICMIND_RULE, ...values, ...rule, layout, dtype, output: 'tensor' };
  if (spec.crop.width !== w || spec.crop.height !== h) {
    throw new UserError(`${where}: the model takes ${w}x${h} images but the rule crops ${spec.crop.width}x${spec.crop.height}; set dataset.preprocess resize and crop to match the model`);
  }
  const values_ = dtype === 'uint8' ? 'raw 0-255 (normalisation in the graph)' : `normalised (x - [${spec.mean.join(', ')}]) / [${spec.std.join(', ')}]`;
  const source = Object.keys(rule).length ? `${MAGICMIND_SAMPLE}, with the suite's dataset.preprocess override` : MAGICMIND_SAMPLE;
  return { spec, rule: `${describeRule(spec)}, ${dtype} ${layout} ${values_}; from ${source}` };
}
