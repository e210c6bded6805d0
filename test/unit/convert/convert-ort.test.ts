/**
 * The onnxruntime converter's graph transforms on tiny models: float16, int8 QDQ (with
 * calibration) and QDQ folding, each checked by running the result in onnxruntime against the
 * float32 model, plus the number formats they rest on.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { calibrate, percentileRange, type Feeds } from '../../../harness/convert/ort/calibrate.js';
import { foldQdq } from '../../../harness/convert/ort/fold-qdq.js';
import { toFloat16 } from '../../../harness/convert/ort/fp16.js';
import { Graph } from '../../../harness/convert/ort/graph.js';
import { dims, FLOAT, FLOAT16, floatToHalf, halfToFloat, INT32, INT8, tensorValues } from '../../../harness/convert/ort/tensors.js';
import { loadTyped, saveOptimized } from '../../../harness/convert/ort/optimize.js';
import { activationParams, insertQdq, planQdq, quantizeWeights } from '../../../harness/convert/ort/qdq.js';
import { decodeModel, encodeModel, floatTensor, intAttr, intsAttr, node, valueInfo } from '../../../harness/models/onnx.js';
import { seededRandom } from '../../../harness/util/random.js';
import { tempDir } from '../../helpers.js';

const dir = tempDir('infergate-ort-convert-');

function randomTensor(name: string, shape: number[], random: () => number, scale: number): ReturnType<typeof floatTensor> {
  const n = shape.reduce((a, b) => a * b, 1);
  return floatTensor(name, shape, Float32Array.from({ length: n }, () => (random() * 2 - 1) * scale));
}

/**
 * x[N,3,8,8] -> Conv3x3(8)+bias -> Relu -> Conv1x1(8)+bias -> Add(relu) -> Relu -> GlobalAveragePool
 * -> Flatten -> Gemm(8 -> 5, transB) -> y[N,5]: every op the int8 converter quantises but MatMul.
 */
function writeClassifier(name = 'classifier.onnx'): string {
  const r = seededRandom(7);
  const bytes = encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'classifier',
      node: [
        node('Conv', ['x', 'w1', 'b1'], ['c1'], 'conv1', [intsAttr('kernel_shape', [3, 3]), intsAttr('pads', [1, 1, 1, 1])]),
        node('Relu', ['c1'], ['r1'], 'relu1'),
        node('Conv', ['r1', 'w2', 'b2'], ['c2'], 'conv2', [intsAttr('kernel_shape', [1, 1])]),
        node('Add', ['c2', 'r1'], ['s'], 'add'),
        node('Relu', ['s'], ['r2'], 'relu2'),
        node('GlobalAveragePool', ['r2'], ['p'], 'pool'),
        node('Flatten', ['p'], ['f'], 'flatten'),
        node('Gemm', ['f', 'wf', 'bf'], ['y'], 'fc', [intAttr('transB', 1)]),
      ],
      initializer: [
        randomTensor('w1', [8, 3, 3, 3], r, 0.5),
        randomTensor('b1', [8], r, 0.1),
        randomTensor('w2', [8, 8, 1, 1], r, 0.5),
        randomTensor('b2', [8], r, 0.1),
        randomTensor('wf', [5, 8], r, 1),
        randomTensor('bf', [5], r, 0.1),
      ],
      input: [valueInfo('x', ['N', 3, 8, 8])],
      output: [valueInfo('y', ['N', 5])],
    },
  });
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** x[N,6] -> MatMul(6x4) -> y: the MatMul path of the quantiser. */
function writeMatMul(): string {
  const r = seededRandom(11);
  const bytes = encodeModel({
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'matmul',
      node: [node('MatMul', ['x', 'w'], ['m'], 'mm'), node('Relu', ['m'], ['y'], 'relu')],
      initializer: [randomTensor('w', [6, 4], r, 1)],
      input: [valueInfo('x', ['N', 6])],
      output: [valueInfo('y', ['N', 4])],
    },
  });
  const path = join(dir, 'matmul.onnx');
  writeFileSync(path, bytes);
  return path;
}

const INPUTS = Array.from({ length: 16 }, (_, k) => {
  const r = seededRandom(100 + k);
  return Float32Array.from({ length: 3 * 8 * 8 }, () => r() * 2 - 1);
});
const feeds: Feeds = async function* (inputName) {
  for (const x of INPUTS) yield { [inputName]: new ort.Tensor('float32', x, [1, 3, 8, 8]) };
};

async function run(modelPath: string, x: Float32Array, shape = [1, 3, 8, 8]): Promise<Float32Array> {
  const s = await ort.InferenceSession.create(modelPath, { logSeverityLevel: 3 });
  const out = await s.run({ [s.inputNames[0]!]: new ort.Tensor('float32', x, shape) });
  const y = out[s.outputNames[0]!]!;
  assert.is(y.type, 'float32', 'the model output stays float32');
  await s.release();
  return y.data as Float32Array;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  assert.is(a.length, b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
}
const maxAbs = (a: Float32Array) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

function save(graph: Graph, name: string): string {
  const path = join(dir, name);
  writeFileSync(path, graph.encode());
  return path;
}

function opCounts(path: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const n of decodeModel(readFileSync(path)).graph!.node!) counts[n.opType!] = (counts[n.opType!] ?? 0) + 1;
  return counts;
}

test('float16 encoding: exact values, rounding to nearest even, overflow and subnormals', () => {
  assert.is(floatToHalf(1), 0x3c00);
  assert.is(floatToHalf(-2), 0xc000);
  assert.is(floatToHalf(65504), 0x7bff);
  assert.is(floatToHalf(70000), 0x7c00, 'beyond the largest half: infinity');
  assert.is(floatToHalf(2 ** -24), 0x0001, 'smallest subnormal');
  assert.is(floatToHalf(2 ** -26), 0x0000, 'below half the smallest subnormal: zero');
  assert.is(floatToHalf(1 + 2 ** -11), 0x3c00, 'a tie rounds to the even mantissa (down)');
  assert.is(floatToHalf(1 + 3 * 2 ** -11), 0x3c02, 'a tie rounds to the even mantissa (up)');
  for (const v of [0.1, -3.14159, 1e-3, 1234.5]) assert.ok(Math.abs(halfToFloat(floatToHalf(v)) - v) <= Math.abs(v) * 2 ** -11, `${v} round-trips within half an ulp`);
});

test('weights: per-channel symmetric int8, scale = max|w| / 127 (or / 63 with 7 bits), zero point 0', () => {
  const w = Float64Array.from([0.6, -1, 0.2, /* channel 1 */ 2, 1.2, -0.5]);
  const { q, scales } = quantizeWeights(w, [2, 3], 0, 8);
  assert.equal(Array.from(scales), [Math.fround(1 / 127), Math.fround(2 / 127)]);
  assert.equal(Array.from(q), [76, -127, 25, 127, 76, -32]);
  const seven = quantizeWeights(w, [2, 3], 0, 7);
  assert.equal(Array.from(seven.q), [38, -63, 13, 63, 38, -16]);
  const columns = quantizeWeights(Float64Array.from([1, 4, -2, 8]), [2, 2], 1, 8); // axis 1: columns (1, -2) and (4, 8)
  assert.equal(Array.from(columns.scales), [Math.fround(2 / 127), Math.fround(8 / 127)]);
});

test('activations: asymmetric ranges always hold real zero exactly', () => {
  const unit = activationParams({ min: 0, max: 2.55 }, 'uint8');
  assert.ok(Math.abs(unit.scale - 0.01) < 1e-12);
  assert.is(unit.zeroPoint, 0);
  const p = activationParams({ min: -1, max: 3 }, 'uint8');
  assert.ok(Math.abs(p.scale - 4 / 255) < 1e-12);
  assert.is(p.zeroPoint, 64);
  assert.is(activationParams({ min: 0.5, max: 1 }, 'uint8').zeroPoint, 0, 'a range above zero is widened down to it');
  assert.is(activationParams({ min: 0, max: 1 }, 'int8').zeroPoint, -128);
  assert.is(activationParams({ min: 0, max: 0 }, 'uint8').scale, 1, 'an all-zero tensor gets a usable scale');
});

test('percentile calibration drops the rare extremes; 100% keeps the full range', () => {
  const hist = new Float64Array(100).fill(100);
  hist[99] = 1; // one outlier at the top
  hist[0] = 1; // and one at the bottom
  const kept = percentileRange(hist, { min: 0, max: 100 }, 99.9);
  assert.is(kept.min, 1);
  assert.is(kept.max, 99);
  assert.equal(percentileRange(hist, { min: 0, max: 100 }, 100), { min: 0, max: 100 });
});

test('fp16: float16 weights and ops, float32 inputs and outputs, outputs within 1e-2 of float32', async () => {
  const source = writeClassifier();
  const graph = await loadTyped(source, join(dir, 'typed.onnx'));
  const report = toFloat16(graph);
  assert.ok(report.float16Nodes >= 7, `float16 ops: ${report.float16Nodes}`);
  assert.is(report.float32Nodes, 0);
  for (const t of graph.inits.values()) assert.is(t.dataType, FLOAT16, `initializer ${t.name} is float16`);
  assert.is(graph.graph.input[0]!.type!.tensorType!.elemType, FLOAT);
  assert.is(graph.graph.output[0]!.type!.tensorType!.elemType, FLOAT);
  const path = save(graph, 'classifier-fp16.onnx');
  assert.is(opCounts(path).Cast, 2, 'one Cast in, one Cast out');
  for (const x of INPUTS.slice(0, 4)) {
    const d = maxAbsDiff(await run(source, x), await run(path, x));
    assert.ok(d < 1e-2, `fp16 vs fp32: max abs difference ${d}`);
  }
});

test('fp16: an op kept in float32 gets Casts around it and the model still agrees', async () => {
  const source = writeClassifier('classifier-keep.onnx');
  const graph = await loadTyped(source, join(dir, 'typed-keep.onnx'));
  const report = toFloat16(graph, { keepFloat32: ['GlobalAveragePool'] });
  assert.is(report.float32Nodes, 1);
  const path = save(graph, 'classifier-fp16-keep.onnx');
  assert.is(opCounts(path).Cast, 4, 'in, around the float32 pool (2), out');
  const d = maxAbsDiff(await run(source, INPUTS[0]!), await run(path, INPUTS[0]!));
  assert.ok(d < 1e-2, `max abs difference ${d}`);
});

test('int8 QDQ: Conv, Add and Gemm quantised, onnxruntime fuses them into QLinear kernels, outputs track float32', async () => {
  const source = writeClassifier('classifier-q.onnx');
  const graph = await loadTyped(source, join(dir, 'typed-q.onnx'));
  const plan = planQdq(graph);
  assert.equal(plan.nodes.map((n) => n.opType).sort(), ['Add', 'Conv', 'Conv', 'Gemm']);
  // The input, the Relu outputs (after conv1 and after the Add), conv2's output and the Gemm's input; the model output stays float.
  assert.equal(plan.activations, ['x', 'r1', 'c2', 'r2', 'f']);
  const ranges = await calibrate(graph, plan.activations, feeds, { method: 'minmax', percentile: 99.999 });
  for (const [name, r] of ranges) assert.ok(Number.isFinite(r.min) && r.max >= r.min, `${name}: ${r.min}..${r.max}`);
  // 7-bit weights: with full-range int8 weights, onnxruntime's u8 x s8 AVX2 kernel (no VNNI) saturates and
  // this model's error grows about tenfold, which is why 'auto' picks 7 bits on such CPUs.
  const report = insertQdq(graph, plan, ranges, { activations: 'uint8', weightBits: 7 });
  assert.equal({ ...report }, { quantizedNodes: 4, activations: 5, weights: 3, biases: 3 });
  const path = save(graph, 'classifier-int8.onnx');
  const counts = opCounts(path);
  assert.is(counts.QuantizeLinear, 5);
  assert.is(counts.DequantizeLinear, 5 + 3 + 3);
  for (const t of graph.inits.values()) {
    if (t.name!.endsWith('_quantized') && ['w1', 'w2', 'wf'].some((w) => t.name!.startsWith(w))) assert.is(t.dataType, INT8, `${t.name} is int8`);
    if (t.name!.endsWith('_quantized') && ['b1', 'b2', 'bf'].some((b) => t.name!.startsWith(b))) assert.is(t.dataType, INT32, `${t.name} is int32`);
    if (t.name!.startsWith('w1_zero_point')) assert.equal(Array.from(tensorValues(t)), new Array(8).fill(0), 'symmetric: zero points 0');
    if (t.name!.startsWith('w1_scale')) assert.equal(dims(t), [8], 'one scale per output channel');
  }
  const fused = join(dir, 'classifier-int8-fused.onnx');
  await saveOptimized(path, fused, 'extended');
  const f = opCounts(fused);
  assert.is(f.QLinearConv, 2, JSON.stringify(f));
  assert.is(f.QLinearAdd, 1, JSON.stringify(f));
  assert.is(f.QGemm, 1, JSON.stringify(f));
  assert.is(f.Relu, undefined, 'onnxruntime folds the Relus into the quantisation ranges');
  for (const x of INPUTS.slice(0, 4)) {
    const want = await run(source, x);
    const d = maxAbsDiff(want, await run(path, x));
    assert.ok(d < 0.05 * maxAbs(want) + 0.02, `int8 vs fp32: max abs difference ${d} (outputs up to ${maxAbs(want)})`);
  }
});

test('int8 QDQ: MatMul weights per column, int8 activations', async () => {
  const source = writeMatMul();
  const graph = await loadTyped(source, join(dir, 'typed-mm.onnx'));
  const plan = planQdq(graph);
  assert.equal(plan.nodes.map((n) => n.opType), ['MatMul']);
  const mmFeeds: Feeds = async function* (name) {
    for (let k = 0; k < 8; k++) yield { [name]: new ort.Tensor('float32', INPUTS[k]!.slice(0, 6), [1, 6]) };
  };
  const ranges = await calibrate(graph, plan.activations, mmFeeds, { method: 'percentile', percentile: 99.99 });
  insertQdq(graph, plan, ranges, { activations: 'int8', weightBits: 7 });
  const scale = [...graph.inits.values()].find((t) => t.name!.startsWith('w_scale'))!;
  assert.equal(dims(scale), [4], 'one scale per output column');
  const zero = [...graph.inits.values()].find((t) => t.name === plan.activations[0] + '_zero_point')!;
  assert.is(zero.dataType, INT8);
  const path = save(graph, 'matmul-int8.onnx');
  const x = INPUTS[0]!.slice(0, 6);
  const want = await run(source, x, [1, 6]);
  const d = maxAbsDiff(want, await run(path, x, [1, 6]));
  assert.ok(d < 0.05 * maxAbs(want) + 0.02, `max abs difference ${d}`);
});

test('fold QDQ: weights back to floats, activation pairs dropped, folded ReLUs kept as Clip', async () => {
  const source = writeClassifier('classifier-fold.onnx');
  const graph = await loadTyped(source, join(dir, 'typed-fold.onnx'));
  const plan = planQdq(graph);
  insertQdq(graph, plan, await calibrate(graph, plan.activations, feeds, { method: 'minmax', percentile: 99.999 }), { activations: 'uint8', weightBits: 8 });
  const qdqPath = save(graph, 'classifier-fold-qdq.onnx');
  const dequantizedW1 = (() => {
    const q = [...graph.inits.values()].find((t) => t.name === 'w1_quantized')!;
    const s = tensorValues([...graph.inits.values()].find((t) => t.name === 'w1_scale')!);
    return Array.from(tensorValues(q), (v, i) => Math.fround(v * s[Math.floor(i / 27)]!));
  })();

  const folded = new Graph(decodeModel(readFileSync(qdqPath)));
  const report = foldQdq(folded);
  assert.is(report.weights, 6, 'three weights and three biases');
  assert.is(report.droppedPairs, 5);
  const foldedPath = save(folded, 'classifier-folded.onnx');
  const counts = opCounts(foldedPath);
  assert.is(counts.QuantizeLinear, undefined);
  assert.is(counts.DequantizeLinear, undefined);
  // Ranges that start at 0 (the two Relu outputs and the pooled features after them) become Clips; the input's and conv2's do not.
  assert.is(report.clips, 3);
  assert.is(counts.Clip, 3);
  const w1 = [...folded.inits.values()].find((t) => t.dataType === FLOAT && dims(t).join() === '8,3,3,3')!;
  assert.equal(Array.from(tensorValues(w1)), dequantizedW1, 'the folded weights are exactly the dequantized int8 weights');
  for (const x of INPUTS.slice(0, 4)) {
    const want = await run(source, x);
    const d = maxAbsDiff(want, await run(foldedPath, x));
    assert.ok(d < 0.05 * maxAbs(want) + 0.02, `folded vs the original float model: ${d}`);
  }
});

test.run();
