/** The vendor input encodings on hand-computed pixels, and their refusals. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import sharp from 'sharp';
import { hbdnnEncoding, nv12Size } from '../../../harness/accuracy/encode-hbdnn.js';
import { magicmindEncoding } from '../../../harness/accuracy/encode-magicmind.js';
import { letterboxLayout, padInto, preprocessImage } from '../../../harness/accuracy/preprocess.js';
import { UserError } from '../../../harness/errors.js';
import type { NativeTensorDesc } from '../../../harness/targets/native.js';

const mmInput = (over: Partial<NativeTensorDesc> = {}): NativeTensorDesc => ({ name: 'data', dtype: 'uint8', dims: [4, 224, 224, 3], bytes: 4 * 224 * 224 * 3, layout: 'NHWC', mutableBatch: false, ...over });
const nv12Input = (over: Partial<NativeTensorDesc> = {}): NativeTensorDesc => ({ name: 'input0', dtype: 'uint8', dims: [1, 3, 224, 224], bytes: 75_264, layout: 'NV12', ...over });

/** A w x h PNG: the top `split` rows one colour, the rest another. */
function twoBands(w: number, h: number, split: number, top: number[], bottom: number[]): Promise<Buffer> {
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) raw.set(y < split ? top : bottom, (y * w + x) * 3);
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } }).png().toBuffer();
}

test('MagicMind: the sample rule, uint8 NHWC raw RGB; rows stay in order through resize and crop', async () => {
  const enc = magicmindEncoding(mmInput());
  assert.equal(enc.spec.resize, { width: 256, height: 256 });
  assert.equal(enc.spec.crop, { width: 224, height: 224 });
  assert.is(enc.spec.kernel, 'bilinear');
  assert.match(enc.rule, /RGB, resize to 256x256 \(aspect not kept, bilinear\), centre crop 224x224, uint8 NHWC raw 0-255/);
  assert.match(enc.rule, /magicmind_cloud v1\.7 resnet50_onnx/);
  // 300x200: red above, blue below; stretched to 256x256 the bands stay halves, and the crop keeps rows 16..239.
  const t = (await preprocessImage(await twoBands(300, 200, 100, [255, 0, 0], [0, 0, 255]), enc.spec)) as Uint8Array;
  assert.instance(t, Uint8Array);
  assert.is(t.length, 224 * 224 * 3);
  assert.equal(Array.from(t.subarray(0, 3)), [255, 0, 0]); // first pixel: R G B, interleaved
  assert.equal(Array.from(t.subarray(t.length - 3)), [0, 0, 255]); // last pixel
});

test('MagicMind: a float32 NCHW input (no insert_bn) gets ImageNet-normalised planes', async () => {
  const enc = magicmindEncoding(mmInput({ dtype: 'float32', layout: 'NCHW', dims: [1, 3, 224, 224], bytes: 224 * 224 * 12 }));
  const t = (await preprocessImage(await twoBands(256, 256, 256, [10, 20, 30], [0, 0, 0]), enc.spec)) as Float32Array;
  const plane = 224 * 224;
  assert.ok(Math.abs(t[0]! - (10 - 123.675) / 58.395) < 1e-5);
  assert.ok(Math.abs(t[plane]! - (20 - 116.28) / 57.12) < 1e-5);
  assert.ok(Math.abs(t[2 * plane + 5]! - (30 - 103.53) / 57.375) < 1e-5);
});

test('MagicMind: what the model takes is read, and a contradiction is refused with the reason', () => {
  assert.throws(() => magicmindEncoding(mmInput({ dtype: 'float16' })), (e: Error) => e instanceof UserError && /feeds uint8 .* or float32/.test(e.message));
  assert.throws(() => magicmindEncoding(mmInput(), { layout: 'NCHW' }), /dataset\.preprocess\.layout: the suite asks for NCHW, but MagicMind model input 'data' .* takes NHWC/);
  assert.throws(() => magicmindEncoding(mmInput({ dims: [1, 299, 299, 3] })), /takes 299x299 images but the rule crops 224x224/);
  assert.throws(() => magicmindEncoding(mmInput({ layout: '' })), /neither NHWC nor NCHW/);
  const swapped = magicmindEncoding(mmInput(), { colour: 'BGR' });
  assert.is(swapped.spec.colour, 'BGR');
  assert.match(swapped.rule, /with the suite's dataset\.preprocess override/);
});

test('letterbox: aspect kept with truncated sizes, pad // 2 before, grey 127 around', () => {
  assert.equal(letterboxLayout(448, 224, { width: 224, height: 224 }), { width: 224, height: 112, left: 0, top: 56 });
  assert.equal(letterboxLayout(100, 300, { width: 224, height: 224 }), { width: 74, height: 224, left: 75, top: 0 }); // 100 * 0.7467 = 74.67
  const boxed = padInto(Uint8Array.from([1, 2, 3, 4, 5, 6]), 2, 1, { width: 2, height: 3 }, 0, 1);
  assert.equal(Array.from(boxed), [127, 127, 127, 127, 127, 127, 1, 2, 3, 4, 5, 6, 127, 127, 127, 127, 127, 127]);
});

test('hbDNN: letterbox to the model size, then NV12 (BT.601 limited): hand-computed Y, U, V', async () => {
  const enc = hbdnnEncoding(nv12Input());
  assert.equal(enc.spec.resize, { width: 224, height: 224, fit: 'letterbox' });
  assert.match(enc.rule, /letterbox into 224x224 .*NV12 .*rdk_model_zoo rdk_x5/);
  // A 448x224 red image: 224x112 of red, 56 grey rows above and below.
  const nv = await preprocessImage(await twoBands(448, 224, 224, [255, 0, 0], [0, 0, 0]), enc.spec);
  assert.is(nv.length, 224 * 224 * 1.5);
  const Y = (row: number, col: number) => nv[row * 224 + col];
  const UV = (row: number, col: number) => [nv[224 * 224 + (row >> 1) * 224 + (col & ~1)], nv[224 * 224 + (row >> 1) * 224 + (col & ~1) + 1]];
  // grey 127: Y = 16 + 0.859 * 127 = 125.1; U = V = 128
  assert.is(Y(0, 0), 125);
  assert.equal(UV(0, 0), [128, 128]);
  // red 255,0,0: Y = 16 + 0.257 * 255 = 81.5 -> 82; U = 128 - 0.148 * 255 = 90.2; V = 128 + 0.439 * 255 = 240
  assert.is(Y(112, 100), 82);
  assert.equal(UV(112, 100), [90, 240]);
  // The test-only channel swap: the same red read as blue (0,0,255): Y = 16 + 0.098 * 255 = 41
  const swapped = await preprocessImage(await twoBands(224, 224, 224, [255, 0, 0], [0, 0, 0]), hbdnnEncoding(nv12Input(), { colour: 'BGR' }).spec);
  assert.is(swapped[0], 41);
});

test('hbDNN: the size comes from the model; non-NV12 inputs and odd sizes are refused', () => {
  assert.equal(nv12Size(nv12Input({ dims: [4, 3, 220, 220] })), { width: 220, height: 220 });
  assert.equal(hbdnnEncoding(nv12Input({ dims: [1, 3, 220, 220] })).spec.crop, { width: 220, height: 220 });
  assert.throws(() => nv12Size(nv12Input({ layout: 'NCHW', dtype: 'float32' })), /not an NV12 image input/);
  assert.throws(() => nv12Size(nv12Input({ dims: [1, 3, 223, 224] })), /even width and height/);
  assert.throws(() => hbdnnEncoding(nv12Input(), { crop: { width: 200, height: 200 } }), /make the crop the model's size/);
});

test.run();
