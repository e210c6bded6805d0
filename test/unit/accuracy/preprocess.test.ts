import { test } from 'uvu';
import * as assert from 'uvu/assert';
import sharp from 'sharp';
import { cropOffsets, decodeAndCrop, ImageError, resizedSize, rgbToNv12, tensorLength, toTensor } from '../../../harness/accuracy/preprocess.js';
import { topK } from '../../../harness/accuracy/topk.js';
import { IMAGENET_FLOAT_PREPROCESS, type PreprocessSpec } from '../../../harness/models/registry.js';

const spec = (over: Partial<PreprocessSpec> = {}): PreprocessSpec => ({ ...IMAGENET_FLOAT_PREPROCESS, ...over });
const close = (a: number, b: number, eps = 1e-5) => assert.ok(Math.abs(a - b) <= eps, `${a} != ${b}`);

test('shorter-side resize keeps the aspect; fixed WxH does not; crop offsets floor', () => {
  assert.equal(resizedSize(500, 375, { shorter: 256 }), { width: 341, height: 256 }); // 500*256/375 = 341.33
  assert.equal(resizedSize(375, 500, { shorter: 256 }), { width: 256, height: 341 });
  assert.equal(resizedSize(227, 227, { shorter: 256 }), { width: 256, height: 256 });
  assert.equal(resizedSize(500, 300, { shorter: 256 }), { width: 427, height: 256 }); // 426.67 rounds up
  assert.equal(resizedSize(500, 375, { width: 256, height: 256 }), { width: 256, height: 256 });
  assert.equal(cropOffsets(341, 256, { width: 224, height: 224 }), { left: 58, top: 16 }); // floor(117/2)
});

// A 2x1 image: pixel 0 = (255, 0, 0), pixel 1 = (0, 128, 255).
const RGB2 = Uint8Array.from([255, 0, 0, 0, 128, 255]);

test('NCHW float32 with mean/std: hand-computed values', () => {
  const t = toTensor(RGB2, 2, 1, spec()) as Float32Array;
  assert.is(t.length, 6);
  close(t[0]!, (1 - 0.485) / 0.229); // R of pixel 0
  close(t[1]!, (0 - 0.485) / 0.229); // R of pixel 1
  close(t[2]!, (0 - 0.456) / 0.224); // G of pixel 0
  close(t[3]!, (128 / 255 - 0.456) / 0.224); // G of pixel 1
  close(t[5]!, (1 - 0.406) / 0.225); // B of pixel 1
});

test('BGR order swaps the planes; NHWC interleaves; uint8 stays raw', () => {
  const bgr = toTensor(RGB2, 2, 1, spec({ colour: 'BGR', scale: 1, mean: [0, 0, 0], std: [1, 1, 1] }));
  assert.equal(Array.from(bgr), [0, 255, 0, 128, 255, 0]);
  const nhwc = toTensor(RGB2, 2, 1, spec({ layout: 'NHWC', scale: 1, mean: [0, 0, 0], std: [1, 1, 1] }));
  assert.equal(Array.from(nhwc), [255, 0, 0, 0, 128, 255]);
  const u8 = toTensor(RGB2, 2, 1, spec({ layout: 'NHWC', dtype: 'uint8' }));
  assert.instance(u8, Uint8Array);
  assert.equal(Array.from(u8), [255, 0, 0, 0, 128, 255]);
});

test('NV12: BT.601 limited range, Y plane then interleaved U,V from the top-left pixel of each 2x2', () => {
  // Top-left red, the rest white. Hand-computed with the 20-bit coefficients:
  // red -> Y 82, U 90, V 240; white -> Y 235 (U, V 128). No averaging: UV is red's.
  const rgb = Uint8Array.from([255, 0, 0, 255, 255, 255, 255, 255, 255, 255, 255, 255]);
  assert.equal(Array.from(rgbToNv12(rgb, 2, 2)), [82, 235, 235, 235, 90, 240]);
  // 4x2: two chroma pairs on one row, in U,V,U,V order; black -> Y 16, U/V 128.
  const px = (r: number, g: number, b: number) => [r, g, b];
  const wide = Uint8Array.from([...px(0, 0, 0), ...px(0, 0, 0), ...px(255, 0, 0), ...px(0, 0, 0), ...px(0, 0, 0), ...px(0, 0, 0), ...px(0, 0, 0), ...px(0, 0, 0)]);
  assert.equal(Array.from(rgbToNv12(wide, 4, 2)), [16, 16, 82, 16, 16, 16, 16, 16, 128, 128, 90, 240]);
  assert.is(tensorLength(spec({ output: 'nv12' })), 75_264); // 224x224 NV12
  assert.throws(() => rgbToNv12(new Uint8Array(9), 3, 1), /even dimensions/);
});

test('decode, resize and crop a generated image: size and colour survive', async () => {
  const png = await sharp({ create: { width: 40, height: 20, channels: 3, background: { r: 10, g: 200, b: 30 } } }).png().toBuffer();
  const out = await decodeAndCrop(png, spec({ resize: { shorter: 10 }, crop: { width: 8, height: 8 } }));
  assert.is(out.width, 8);
  assert.is(out.height, 8);
  assert.equal(Array.from(out.rgb.subarray(0, 3)), [10, 200, 30]);
  const grey = await sharp({ create: { width: 16, height: 16, channels: 3, background: { r: 90, g: 90, b: 90 } } }).greyscale().png().toBuffer();
  const g = await decodeAndCrop(grey, spec({ resize: { shorter: 8 }, crop: { width: 8, height: 8 } }));
  assert.is(g.rgb.length, 8 * 8 * 3, 'greyscale is expanded to three channels');
});

test('a truncated JPEG is an image error, not a crash', async () => {
  const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: { r: 1, g: 2, b: 3 } } }).jpeg().toBuffer();
  await decodeAndCrop(jpeg.subarray(0, jpeg.length / 2), spec({ resize: { shorter: 32 }, crop: { width: 16, height: 16 } })).then(
    () => assert.unreachable('truncated JPEG decoded'),
    (err) => assert.instance(err, ImageError),
  );
  await decodeAndCrop(Buffer.from('not an image'), spec()).then(
    () => assert.unreachable('garbage decoded'),
    (err) => assert.instance(err, ImageError),
  );
});

test('topK picks the k largest per row, in order', () => {
  const logits = Float32Array.from([0.1, 5, 3, 9, -1, 7, 2, 2.5, 8, 1, 0, 4]);
  const { index, score } = topK(logits, 2, 6, 3);
  assert.equal(Array.from(index), [3, 5, 1, 2, 5, 1]);
  assert.equal(Array.from(score), [9, 7, 5, 8, 4, 2.5]);
});

test.run();
