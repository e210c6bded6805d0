/**
 * The model registry: facts about each known model, never behaviour. A suite names a model by
 * id (`resnet50-v1-7`, `resnet50-v1-7@synthetic`) or by path; this module answers what that id is.
 */

export type Layout = 'NCHW' | 'NHWC';
export type ColourOrder = 'RGB' | 'BGR';

/** How images become the model's input tensor (the accuracy pipeline implements it). */
export interface PreprocessSpec {
  /**
   * Resize the shorter side to this many pixels (keeping aspect), or to a fixed WxH: stretched
   * (`fill`, the default), or `letterbox`: scaled to fit inside, keeping aspect, and padded with
   * grey 127 around the centre (the RDK X5 model zoo's resize_type 1).
   */
  resize: { shorter: number } | { width: number; height: number; fit?: 'fill' | 'letterbox' };
  kernel: 'bicubic' | 'bilinear' | 'nearest' | 'lanczos3';
  crop: { width: number; height: number };
  colour: ColourOrder;
  layout: Layout;
  dtype: 'float32' | 'uint8';
  /** Multiply by this first (1/255 for [0,1] inputs), then (x - mean) / std per output channel. */
  scale: number;
  mean: [number, number, number];
  std: [number, number, number];
  /** `nv12` feeds Y then interleaved UV bytes (RDK X5 BPU models); colour, layout and normalisation then do not apply. */
  output?: 'tensor' | 'nv12';
}

export interface TensorSpec {
  name: string;
  /** A string is a symbolic dimension (the batch). */
  shape: (number | string)[];
  dtype: 'float32' | 'uint8';
}

export interface ModelSpec {
  id: string;
  description: string;
  /** Where the file lives below an asset root (INFERGATE_ASSETS, ../shared/assets, user cache). */
  assetPath: string;
  sha256: string;
  bytes?: number;
  /** Where `npm run assets` fetches it from; absent for files that only come with ../shared. */
  url?: string;
  source: string;
  input: TensorSpec;
  output: TensorSpec;
  preprocess: PreprocessSpec;
  /** Label space of the output: ImageNet-1k, classes 0..999 in sorted-wnid order. */
  labels: 'imagenet-1k';
  /** When set, `<id>@synthetic` builds this architecture with seeded weights for timing. */
  synthetic?: { architecture: 'resnet18-v1' | 'resnet50-v1' };
  /** Built from the file at assetPath (sha256 pins that file) by a graph transform, then cached. */
  derived?: { transform: 'fold-qdq'; from: string };
}

const IMAGENET_MEAN: [number, number, number] = [0.485, 0.456, 0.406];
const IMAGENET_STD: [number, number, number] = [0.229, 0.224, 0.225];

/** The torchvision/ONNX-zoo recipe: shorter side 256, centre crop 224, RGB, [0,1], mean/std. */
export const IMAGENET_FLOAT_PREPROCESS: PreprocessSpec = {
  resize: { shorter: 256 },
  kernel: 'bicubic',
  crop: { width: 224, height: 224 },
  colour: 'RGB',
  layout: 'NCHW',
  dtype: 'float32',
  scale: 1 / 255,
  mean: IMAGENET_MEAN,
  std: IMAGENET_STD,
};

/** The torchvision MobileNetV2 exports in ../shared/assets share their interface and recipe. */
const MOBILENETV2_IO = {
  input: { name: 'input', shape: ['batch_size', 3, 224, 224], dtype: 'float32' },
  output: { name: 'output', shape: ['batch_size', 1000], dtype: 'float32' },
  preprocess: IMAGENET_FLOAT_PREPROCESS,
  labels: 'imagenet-1k',
} as const satisfies Pick<ModelSpec, 'input' | 'output' | 'preprocess' | 'labels'>;

const ZOO = 'https://github.com/onnx/models/raw/main/validated/vision/classification/resnet/model';

export const MODELS: readonly ModelSpec[] = [
  {
    id: 'resnet50-v1-7',
    description: 'ResNet50 v1 (ONNX model zoo, opset 7, from MXNet gluon)',
    assetPath: 'models/resnet50-v1-7.onnx',
    sha256: 'af16a04a6ec48ac494065d4439fe9dea590d337b9ca6dc328160ccf04a217b9c',
    bytes: 102_583_340,
    url: `${ZOO}/resnet50-v1-7.onnx`,
    source: 'ONNX model zoo, validated/vision/classification/resnet/model/resnet50-v1-7.onnx',
    input: { name: 'data', shape: ['N', 3, 224, 224], dtype: 'float32' },
    output: { name: 'resnetv17_dense0_fwd', shape: ['N', 1000], dtype: 'float32' },
    preprocess: IMAGENET_FLOAT_PREPROCESS,
    labels: 'imagenet-1k',
    synthetic: { architecture: 'resnet50-v1' },
  },
  {
    id: 'resnet18-v1-7',
    description: 'ResNet18 v1 (ONNX model zoo, opset 7, from MXNet gluon)',
    assetPath: 'models/resnet18-v1-7.onnx',
    sha256: '4e8f8653e7a2222b3904cc3fe8e304cd8b339ce1d05fd24688162f86fb6df52c',
    bytes: 46_820_737,
    url: `${ZOO}/resnet18-v1-7.onnx`,
    source: 'ONNX model zoo, validated/vision/classification/resnet/model/resnet18-v1-7.onnx',
    input: { name: 'data', shape: ['N', 3, 224, 224], dtype: 'float32' },
    output: { name: 'resnetv15_dense0_fwd', shape: ['N', 1000], dtype: 'float32' },
    preprocess: IMAGENET_FLOAT_PREPROCESS,
    labels: 'imagenet-1k',
    synthetic: { architecture: 'resnet18-v1' },
  },
  {
    id: 'mobilenetv2-int8-qdq',
    description: 'torchvision MobileNetV2 (IMAGENET1K_V1), onnxruntime static QDQ int8, per-channel',
    assetPath: 'models/mobilenetv2-int8-qdq.onnx',
    sha256: 'e12d7e32e77f23324dd8c291632f3766807df7c30b21aec2dd10348494b83e32',
    source: 'kaysono0/EdgeFlow (MIT), shipped in ../shared/assets',
    ...MOBILENETV2_IO,
  },
  {
    id: 'mobilenetv2-float',
    description: 'torchvision MobileNetV2 in float32, folded back from mobilenetv2-int8-qdq (its int8 weights as floats, activation Q/DQ pairs dropped)',
    assetPath: 'models/mobilenetv2-int8-qdq.onnx',
    sha256: 'e12d7e32e77f23324dd8c291632f3766807df7c30b21aec2dd10348494b83e32',
    source: 'built here from kaysono0/EdgeFlow mobilenetv2-int8-qdq.onnx by harness/convert/ort/fold-qdq.ts',
    ...MOBILENETV2_IO,
    derived: { transform: 'fold-qdq', from: 'mobilenetv2-int8-qdq' },
  },
  {
    id: 'mobilenetv2-int8-dynamic',
    description: 'torchvision MobileNetV2 (IMAGENET1K_V1), onnxruntime dynamic quantization',
    assetPath: 'models/mobilenetv2-int8-dynamic.onnx',
    sha256: '2acf96dfb00933672b9bd3ecb23bacd1ea61a53476796183fdbe10dcc08d0592',
    source: 'kaysono0/EdgeFlow (MIT), shipped in ../shared/assets',
    ...MOBILENETV2_IO,
  },
];

export const SYNTHETIC_SUFFIX = '@synthetic';

export function findModel(id: string): ModelSpec | undefined {
  return MODELS.find((m) => m.id === id);
}

/** Every id a suite may use: the registry's ids plus `@synthetic` where an architecture exists. */
export function knownModelIds(): string[] {
  const ids: string[] = [];
  for (const m of MODELS) {
    ids.push(m.id);
    if (m.synthetic) ids.push(m.id + SYNTHETIC_SUFFIX);
  }
  return ids;
}

/** Splits `resnet50-v1-7@synthetic` into the registry entry and the synthetic flag. */
export function parseModelId(id: string): { spec: ModelSpec; synthetic: boolean } | undefined {
  const synthetic = id.endsWith(SYNTHETIC_SUFFIX);
  const base = synthetic ? id.slice(0, -SYNTHETIC_SUFFIX.length) : id;
  const spec = findModel(base);
  if (!spec || (synthetic && !spec.synthetic)) return undefined;
  return { spec, synthetic };
}
