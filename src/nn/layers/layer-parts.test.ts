// What every layer says about itself (type, output shape, parameter and buffer names, which
// weights are penalized), the geometry and fans it derives from its options, its state across
// batches of different sizes, and the errors of calling it out of order. Checkpoints name
// tensors by these names and the optimizer penalizes by these flags, so each is asserted exactly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gradientError } from '../../../test/gradcheck.js';
import { context } from '../../../test/layer-context.js';
import { Tensor } from '../../engine/tensor.js';
import { Rng } from '../../random/rng.js';
import type { Layer, LayerContext } from '../layer.js';
import { convGeometry } from './conv2d.js';
import { findLayer, layerSchema } from './index.js';

const make = (config: { type: string } & Record<string, unknown>, inputShape: number[], ctx: LayerContext = context(inputShape)): Layer =>
  findLayer(config.type).create(layerSchema.parse(config), ctx);
const describe = (l: Layer) => ({
  type: l.type,
  outputShape: l.outputShape,
  params: l.params.map((p) => [p.name, p.value.shape, p.penalized]),
  buffers: (l.buffers ?? []).map((b) => [b.name, b.value.shape]),
});
const randomTensor = (shape: number[], rng: Rng) => Tensor.from(shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()));

test('each layer names its type, output shape, parameters (weights penalized, the rest not) and buffers', () => {
  assert.deepEqual(describe(make({ type: 'dense', units: 2 }, [3])), { type: 'dense', outputShape: [2], params: [['weight', [3, 2], true], ['bias', [2], false]], buffers: [] });
  const sparse = make({ type: 'dense', units: 2, sparsity: { fanOut: 1 } }, [4]);
  assert.deepEqual(describe(sparse).buffers, [['mask', [4, 2]]]);
  assert.equal(sparse.density, 0.5);
  assert.deepEqual(describe(make({ type: 'conv2d', filters: 3, kernel: [3, 2] }, [2, 5, 5])),
    { type: 'conv2d', outputShape: [3, 5, 5], params: [['weight', [3, 2, 3, 2], true], ['bias', [3], false]], buffers: [] });
  assert.deepEqual(describe(make({ type: 'maxout', units: 3, pieces: 2 }, [4])),
    { type: 'maxout', outputShape: [3], params: [['weight', [4, 3, 2], true], ['bias', [3, 2], false]], buffers: [] });
  assert.deepEqual(describe(make({ type: 'batchnorm' }, [2, 3, 3])),
    { type: 'batchnorm', outputShape: [2, 3, 3], params: [['gamma', [2], false], ['beta', [2], false]], buffers: [['running_mean', [2]], ['running_var', [2]]] });
  assert.deepEqual(describe(make({ type: 'flatten' }, [2, 3, 3])), { type: 'flatten', outputShape: [18], params: [], buffers: [] });
  assert.deepEqual(describe(make({ type: 'dropout' }, [5])), { type: 'dropout', outputShape: [5], params: [], buffers: [] });
  assert.deepEqual(describe(make({ type: 'maxpool2d', size: [2, 3] }, [1, 4, 6])), { type: 'maxpool2d', outputShape: [1, 2, 2], params: [], buffers: [] });
  assert.deepEqual(describe(make({ type: 'avgpool2d', size: 2, stride: 1 }, [2, 3, 4])), { type: 'avgpool2d', outputShape: [2, 2, 3], params: [], buffers: [] });
  // only max pooling can take over a relu (max and relu commute; the mean and relu do not)
  assert.equal(typeof make({ type: 'maxpool2d' }, [1, 4, 4]).takeRelu, 'function');
  assert.equal(make({ type: 'avgpool2d' }, [1, 4, 4]).takeRelu, undefined);
  assert.throws(() => findLayer('conv3d'), { message: "no layer 'conv3d'" });
});

test('a bias given as an initializer is initialized by it, with the layer\'s fans', () => {
  for (const [config, shape] of [[{ type: 'dense', units: 3 }, [2]], [{ type: 'conv2d', filters: 3, kernel: 1 }, [1, 2, 2]], [{ type: 'maxout', units: 3, pieces: 2 }, [2]]] as const) {
    const layer = make({ ...config, bias: { type: 'constant', value: 0.25 } }, [...shape]);
    assert.ok(layer.params[1].value.data.every((v) => v === 0.25), `${config.type}: constant 0.25`);
  }
  // glorot-uniform on a dense bias: ±√(6/(inputs + units)) = ±√(6/8) for 5 inputs and 3 units
  const bias = make({ type: 'dense', units: 3, bias: 'glorot-uniform' }, [5], context([5], Rng.stream(4, 'init'))).params[1].value.data;
  assert.ok(bias.every((v) => Number.isFinite(v) && v !== 0 && Math.abs(v) <= Math.sqrt(6 / 8)), String(bias));
});

test('conv2d initializers see fan-in = in·kh·kw and fan-out = filters·kh·kw', () => {
  // 2 channels, a 3×2 kernel, 4 filters: fans 12 and 24, glorot-uniform's bound √(6/36)
  const w = make({ type: 'conv2d', filters: 4, kernel: [3, 2] }, [2, 6, 6], context([2, 6, 6], Rng.stream(9, 'init'))).params[0].value.data;
  const bound = Math.sqrt(6 / 36);
  const largest = w.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
  assert.ok(largest <= bound && largest > 0.9 * bound, `largest |w| ${largest}, bound ${bound}`);
});

test('conv2d geometry: same padding as TensorFlow splits it (extra at the bottom and right), valid none', () => {
  // height: ⌈5/2⌉ = 3 rows, total padding (3 − 1)·2 + 3 − 5 = 2, 1 on top; width: 7 columns, total (7 − 1) + 4 − 7 = 3, 1 on the left
  assert.deepEqual(convGeometry([1, 5, 7], [3, 4], [2, 1], 'same'), { inC: 1, inH: 5, inW: 7, kh: 3, kw: 4, sh: 2, sw: 1, outH: 3, outW: 7, padTop: 1, padLeft: 1 });
  assert.deepEqual(convGeometry([2, 5, 7], 3, 2, 'valid'), { inC: 2, inH: 5, inW: 7, kh: 3, kw: 3, sh: 2, sw: 2, outH: 2, outW: 3, padTop: 0, padLeft: 0 });
  // a window exactly as tall or as wide as the input fits (one output row or column)
  assert.equal(convGeometry([1, 3, 5], 3, 1, 'valid').outH, 1);
  assert.equal(convGeometry([1, 5, 3], 3, 1, 'valid').outW, 1);
  for (const shape of [[1, 8, 2], [1, 2, 8]]) {
    assert.throws(() => convGeometry(shape, 3, 1, 'valid'), { message: `conv2d: a 3×3 window does not fit input [${shape.join(', ')}]` });
  }
});

test('conv2d: backwardParamsOnly gives the same parameter gradients as backward', () => {
  const rng = Rng.stream(5, 'test');
  const layer = make({ type: 'conv2d', filters: 2, kernel: 2, stride: 1, padding: 'valid' }, [1, 3, 3], context([1, 3, 3], rng));
  const x = randomTensor([2, 1, 3, 3], rng);
  const dy = randomTensor([2, 2, 2, 2], rng);
  layer.forward(x, true);
  layer.backward(dy);
  const full = layer.params.map((p) => Array.from(p.grad.data));
  for (const p of layer.params) p.grad.data.fill(0);
  layer.backwardParamsOnly!(dy);
  assert.deepEqual(layer.params.map((p) => Array.from(p.grad.data)), full);
  assert.ok(full[0].some((v) => v !== 0));
});

test('backward before forward is an error naming the layer', () => {
  const dy = Tensor.from([1, 2], [1, 1]);
  assert.throws(() => make({ type: 'dense', units: 2 }, [3]).backward(dy), { message: 'dense.backward before forward' });
  assert.throws(() => make({ type: 'dense', units: 2 }, [3]).backwardParamsOnly!(dy), { message: 'dense.backward before forward' });
  assert.throws(() => make({ type: 'maxout', units: 2 }, [3]).backward(dy), { message: 'maxout.backward before forward' });
  const image = Tensor.from([1, 1, 2, 2], [1, 1, 1, 1]);
  assert.throws(() => make({ type: 'conv2d', filters: 1 }, [1, 2, 2]).backwardParamsOnly!(image), { message: 'conv2d.backward before forward' });
  assert.throws(() => make({ type: 'maxpool2d' }, [1, 4, 4]).backward(image), { message: 'maxpool2d.backward before forward' });
  assert.throws(() => make({ type: 'avgpool2d' }, [1, 4, 4]).backward(image), { message: 'avgpool2d.backward before forward' });
  // batchnorm's backward needs the normalized input of a training forward; inference keeps none
  const bn = make({ type: 'batchnorm' }, [2]);
  bn.forward(Tensor.from([2, 2], [1, 2, 3, 4]), false);
  assert.throws(() => bn.backward(dy), { message: 'batchnorm.backward before a training forward' });
});

test('batchnorm running statistics: (1 − momentum)·running + momentum·batch, with the unbiased variance', () => {
  const layer = make({ type: 'batchnorm', momentum: 0.2 }, [2]);
  const [mean, variance] = layer.buffers!.map((b) => b.value.data);
  // batch 1: means 3 and 3, unbiased variances 8/2 = 4 and 14/2 = 7
  layer.forward(Tensor.from([3, 2], [1, 2, 3, 6, 5, 1]), true);
  assert.deepEqual([...mean, ...variance].map((v) => Math.fround(v)), [0.6, 0.6, 0.8 + 0.2 * 4, 0.8 + 0.2 * 7].map(Math.fround));
  // batch 2: means 2 and 2, unbiased variances 4 and 4
  layer.forward(Tensor.from([3, 2], [0, 0, 2, 4, 4, 2]), true);
  const expected = [0.8 * 0.6 + 0.2 * 2, 0.8 * 0.6 + 0.2 * 2, 0.8 * 1.6 + 0.2 * 4, 0.8 * 2.2 + 0.2 * 4];
  [...mean, ...variance].forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-6, `${i}: ${v} against ${expected[i]}`));
  // inference normalizes with them: (x − mean)/√(var + eps), γ = 1, β = 0
  const y = layer.forward(Tensor.from([1, 2], [1.88, 0]), false);
  assert.ok(Math.abs(y.data[0] - 1 / Math.sqrt(expected[2] + 1e-5)) < 1e-6 && Math.abs(y.data[1] + 0.88 / Math.sqrt(expected[3] + 1e-5)) < 1e-6, String(y.data));
});

test('batchnorm on one value per channel: the running variance takes the batch variance 0, not 0/0', () => {
  const layer = make({ type: 'batchnorm', momentum: 0.2 }, [2]);
  layer.forward(Tensor.from([1, 2], [2, -1]), true);
  assert.deepEqual(layer.buffers!.map((b) => Array.from(b.value.data)), [[0.4, -0.2].map(Math.fround), [0.8, 0.8].map(Math.fround)]);
});

test('maxout and max pooling keep correct winners when a later batch is larger', () => {
  const rng = Rng.stream(12, 'test');
  const mo = make({ type: 'maxout', units: 2, pieces: 3 }, [4], context([4], rng));
  for (const n of [3, 1, 5]) {
    const x = randomTensor([n, 4], rng);
    assert.ok(gradientError(mo, x, Float32Array.from({ length: n * 2 }, () => rng.normal()), 1e-3) < 5e-3, `maxout, batch ${n}`);
  }
  const pool = make({ type: 'maxpool2d', size: [2, 3] }, [1, 4, 6]);
  for (const n of [1, 3]) {
    // each 2×3 window's maximum is at a known place: value 100·(sample + 1) + window
    const x = Tensor.from([n, 1, 4, 6], new Array(n * 24).fill(0));
    for (let s = 0; s < n; s++) for (let w = 0; w < 4; w++) x.data[s * 24 + (Math.floor(w / 2) * 2 + (w % 2)) * 6 + (w % 2) * 3 + 1] = 100 * (s + 1) + w;
    assert.deepEqual(Array.from(pool.forward(x, true).data), Array.from({ length: n * 4 }, (_, i) => 100 * (Math.floor(i / 4) + 1) + (i % 4)));
    const dx = pool.backward(Tensor.from([n, 1, 2, 2], Array.from({ length: n * 4 }, (_, i) => i + 1)));
    // the maxima lie in window order, so the non-zero gradients do too
    assert.deepEqual(Array.from(dx.data).filter((v) => v !== 0), Array.from({ length: n * 4 }, (_, i) => i + 1), `batch ${n}: each window's gradient goes to its maximum`);
  }
});

test('dropout: keep 1, and inference, pass values and gradients through without drawing from the dropout stream', () => {
  for (const [keep, training] of [[1, true], [0.5, false]] as const) {
    const ctx = context([3]);
    const layer = make({ type: 'dropout', keep }, [3], ctx);
    const x = Tensor.from([2, 3], [1, 2, 3, 4, 5, 6]);
    assert.equal(layer.forward(x, training), x);
    const dy = Tensor.from([2, 3], [6, 5, 4, 3, 2, 1]);
    assert.equal(layer.backward(dy), dy);
    assert.equal(ctx.dropoutRng.uniform(), Rng.stream(0, 'dropout').uniform(), `keep ${keep}, training ${training}: the stream is untouched`);
  }
  // training with keep 0.5 after an inference forward: a fresh mask, and its gradient
  const layer = make({ type: 'dropout', keep: 0.5 }, [4]);
  layer.forward(Tensor.from([1, 4], [1, 1, 1, 1]), false);
  const y = layer.forward(Tensor.from([1, 4], [1, 1, 1, 1]), true);
  assert.ok(y.data.every((v) => v === 0 || v === 2));
  assert.deepEqual(Array.from(layer.backward(Tensor.from([1, 4], [1, 1, 1, 1])).data), Array.from(y.data));
});
