/**
 * hbDNN input encoding for the RDK X5, as D-Robotics' model zoo does it for ResNet18 (rdk_model_zoo
 * branch rdk_x5, samples/vision/resnet/runtime/python/resnet.py with utils/py_utils/preprocess.py):
 * the image resized to the model's input size read from the model (resize_type 1, the default:
 * letterbox, aspect kept with int() sizes, grey 127 padding split pad // 2; cv2 bilinear), then
 * the documented BGR -> YUV420SP conversion: cv2 COLOR_BGR2YUV_I420 (BT.601 limited range, chroma
 * from each 2x2 block's top-left pixel) with U and V interleaved into NV12. preprocess.ts's
 * rgbToNv12 computes exactly that from RGB bytes.
 *
 * Bytes go over compact, one image after another at the model's validShape; the backend sets
 * alignedShape = validShape so the library pads rows to its stride (rdk_doc data_alignment.md).
 */
import { UserError } from '../errors.js';
import type { PreprocessSpec } from '../models/registry.js';
import type { NativeTensorDesc } from '../targets/native.js';
import { describeRule, type Encoding } from './encoding.js';

export const HBDNN_ZOO = 'D-Robotics rdk_model_zoo rdk_x5 ResNet sample (resnet.py pre_process, py_utils/preprocess.py)';

/** The model's image size from an NV12 input's validShape ([N,3,H,W] NCHW or [N,H,W,3] NHWC). */
export function nv12Size(input: NativeTensorDesc): { width: number; height: number } {
  const where = `hbDNN model input '${input.name}' (${input.dtype} [${input.dims.join(', ')}] ${input.layout || 'no layout'})`;
  if (input.layout !== 'NV12' || input.dtype !== 'uint8') {
    throw new UserError(`${where}: not an NV12 image input; the RDK X5 encoding feeds NV12 (hb_mapper input_type_rt: nv12)`);
  }
  if (input.dims.length !== 4) throw new UserError(`${where}: expected a 4-dimensional NV12 input`);
  const nchw = input.dims[1] === 3;
  const height = nchw ? input.dims[2]! : input.dims[1]!;
  const width = nchw ? input.dims[3]! : input.dims[2]!;
  if (width % 2 || height % 2) throw new UserError(`${where}: NV12 needs even width and height, the model takes ${width}x${height}`);
  return { width, height };
}

/** The encoding for an RDK X5 model's NV12 input, with the suite's overrides (resize, kernel, crop, colour). */
export function hbdnnEncoding(input: NativeTensorDesc, override: Partial<PreprocessSpec> = {}): Encoding {
  const size = nv12Size(input);
  const { layout: _l, dtype: _d, output: _o, scale: _s, mean: _m, std: _sd, ...rule } = override;
  const spec: PreprocessSpec = {
    resize: { ...size, fit: 'letterbox' },
    kernel: 'bilinear',
    crop: size,
    colour: 'RGB',
    layout: 'NCHW',
    dtype: 'uint8',
    scale: 1,
    mean: [0, 0, 0],
    std: [1, 1, 1],
    ...rule,
    output: 'nv12',
  };
  if (spec.crop.width !== size.width || spec.crop.height !== size.height) {
    throw new UserError(`dataset.preprocess.crop: ${spec.crop.width}x${spec.crop.height}, but the hbDNN model takes ${size.width}x${size.height} NV12 images; make the crop the model's size`);
  }
  const source = Object.keys(rule).length ? `${HBDNN_ZOO}, with the suite's dataset.preprocess override` : HBDNN_ZOO;
  return { spec, rule: `${describeRule(spec)}, then NV12 (BT.601 limited range, as cv2 BGR2YUV_I420 with U,V interleaved) at ${size.width}x${size.height}; from ${source}` };
}
