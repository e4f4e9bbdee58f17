import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gradientError } from '../../../test/gradcheck.js';
import { assertClose, golden } from '../../../test/helpers.js';
import { checkLayerGolden } from '../../../test/golden-layer.js';
import { context, goldenBackends } from '../../../test/layer-context.js';
import { Rng } from '../../random/rng.js';
import { Tensor } from '../../engine/tensor.js';
import type { LayerComponent } from '../layer.js';
import { Model } from '../model.js';
import { referenceBackend } from '../../engine/reference.js';
import { col2im, im2col } from '../../engine/conv.js';
import { conv2d, convGeometry } from './conv2d.js';
import { avgpool2d, maxpool2d } from './pool.js';
import { dropout, flatten } from './reshape.js';
import { layerSchema } from './index.js';

const G = golden.layers.cases;

async function checkGolden(name: string, component: LayerComponent, options: Record<string, unknown>) {
  const g = G[name];
  for (const [label, backend] of await goldenBackends()) {
    const layer = component.create(component.schema.parse({ type: component.type, ...options }) as never, context(g.inputs.x.shape.slice(1), undefined, backend));
    checkLayerGolden(layer, g, ['w', 'b'].filter((p) => g.params[p]), 1e-4, 1e-5, `${name} (${label})`);
  }
}

const c2d = conv2d as unknown as LayerComponent;
test('conv2d same (stride 1, padding 1) matches PyTorch on every backend', () => checkGolden('conv2d_same', c2d, { filters: 4, kernel: 3, padding: 'same' }));
test('conv2d valid, stride 2, matches PyTorch on every backend', () => checkGolden('conv2d_valid_stride2', c2d, { filters: 4, kernel: 3, stride: 2, padding: 'valid' }));
test('maxpool2d matches PyTorch on every backend', () => checkGolden('maxpool2d', maxpool2d as unknown as LayerComponent, { size: 2 }));
test('avgpool2d matches PyTorch on every backend', () => checkGolden('avgpool2d', avgpool2d as unknown as LayerComponent, { size: 2 }));

test('conv2d and pooling gradients agree with finite differences on odd shapes', () => {
  const rng = Rng.stream(7, 'fd');
  for (const [component, options, shape] of [
    [c2d, { filters: 3, kernel: [3, 2], stride: [2, 1], padding: 'same' }, [2, 5, 7]],
    [c2d, { filters: 2, kernel: 3, padding: 'valid' }, [1, 6, 5]],
    [avgpool2d as unknown as LayerComponent, { size: 2, stride: 1 }, [2, 5, 5]],
  ] as [LayerComponent, Record<string, unknown>, number[]][]) {
    const layer = component.create(component.schema.parse({ type: component.type, ...options }) as never, context(shape, rng));
    const x = Tensor.from([2, ...shape], Array.from({ length: 2 * shape.reduce((a, b) => a * b, 1) }, () => rng.normal()));
    const out = layer.forward(x, true);
    const up = Float32Array.from({ length: out.size }, () => rng.normal());
    assert.ok(gradientError(layer, x, up, 1e-2) < 3e-3, `${component.type} ${JSON.stringify(options)}`);
  }
});

test('a layer that does not fit its input is named with both shapes', () => {
  assert.throws(
    () => Model.build({ layers: [{ type: 'dense', units: 4 }, { type: 'conv2d', filters: 2 }].map((l) => layerSchema.parse(l)), output: 'softmax' }, { type: 'cross-entropy' }, [1, 8, 8], 10, referenceBackend, Rng.stream(0, 'i'), Rng.stream(0, 'd')),
    { message: 'model.layers.1: conv2d needs images [channels, height, width], found input [4]' },
  );
  assert.throws(
    () => Model.build({ layers: [layerSchema.parse({ type: 'maxpool2d', size: 9 })], output: 'softmax' }, { type: 'cross-entropy' }, [1, 8, 8], 10, referenceBackend, Rng.stream(0, 'i'), Rng.stream(0, 'd')),
    { message: 'model.layers.0: maxpool2d: a 9×9 window does not fit input [1, 8, 8]' },
  );
});

test('flatten keeps the data and restores the shape on the way back', () => {
  const layer = flatten.create(flatten.schema.parse({ type: 'flatten' }), context([2, 3, 4]));
  const x = Tensor.from([2, 2, 3, 4], Array.from({ length: 48 }, (_, i) => i));
  const y = layer.forward(x, true);
  assert.deepEqual([...y.shape], [2, 24]);
  assert.deepEqual([...layer.backward(y).shape], [2, 2, 3, 4]);
});

test('dropout keeps about `keep` of the units scaled by 1/keep while training, and nothing changes at inference', () => {
  const layer = dropout.create(dropout.schema.parse({ type: 'dropout', keep: 0.8 }), context([1000]));
  const x = Tensor.from([10, 1000], new Array(10_000).fill(1));
  const y = layer.forward(x, true);
  const kept = y.data.filter((v) => v !== 0);
  assert.ok(kept.every((v) => Math.abs(v - 1.25) < 1e-6));
  assert.ok(Math.abs(kept.length / 10_000 - 0.8) < 5 * Math.sqrt(0.16 / 10_000));
  const dx = layer.backward(Tensor.from([10, 1000], new Array(10_000).fill(1)));
  assert.deepEqual(dx.data, y.data, 'the gradient flows through the kept units only');
  assert.equal(layer.forward(x, false), x);
});

test('im2col and col2im match their definition on strided, padded, odd geometries', () => {
  const rng = Rng.stream(3, 'im2col');
  for (const [shape, kernel, stride, padding] of [
    [[2, 5, 7], [3, 3], [1, 1], 'same'], [[1, 6, 6], [3, 2], [2, 3], 'same'], [[3, 7, 5], [2, 4], [3, 2], 'valid'], [[1, 4, 4], [5, 5], [1, 1], 'same'],
  ] as [number[], [number, number], [number, number], 'same' | 'valid'][]) {
    const g = convGeometry(shape, kernel, stride, padding);
    const [K, P] = [g.inC * g.kh * g.kw, g.outH * g.outW];
    const x = Float32Array.from({ length: g.inC * g.inH * g.inW }, () => rng.normal());
    const at = (c: number, y: number, xx: number) => (y < 0 || y >= g.inH || xx < 0 || xx >= g.inW ? 0 : x[(c * g.inH + y) * g.inW + xx]);
    const cols = new Float32Array(K * P).fill(NaN); // every cell must be written
    im2col(x, g, cols);
    const dcols = Float32Array.from({ length: K * P }, () => rng.normal());
    const dx = new Float32Array(x.length);
    col2im(dcols, g, dx);
    const expectedDx = new Float64Array(x.length);
    for (let c = 0, row = 0; c < g.inC; c++) for (let i = 0; i < g.kh; i++) for (let j = 0; j < g.kw; j++, row++) {
      for (let oy = 0; oy < g.outH; oy++) for (let ox = 0; ox < g.outW; ox++) {
        const [y, xx] = [oy * g.sh + i - g.padTop, ox * g.sw + j - g.padLeft];
        const cell = row * P + oy * g.outW + ox;
        assert.equal(cols[cell], at(c, y, xx), `${shape} row ${row} (${oy}, ${ox})`);
        if (y >= 0 && y < g.inH && xx >= 0 && xx < g.inW) expectedDx[(c * g.inH + y) * g.inW + xx] += dcols[cell];
      }
    }
    assertClose(dx, expectedDx, 1e-5, 1e-5, `${shape} col2im`);
  }
});

test('a relu right before max pooling, taken over by the pooling, gives the relu-then-pool values and gradients', async () => {
  const rng = Rng.stream(3, 'fusion');
  const [n, shape] = [3, [2, 4, 6]];
  // small integers: ties, zeros and windows with no positive value
  const x = Float32Array.from({ length: n * 48 }, () => Math.round((rng.uniform() - 0.6) * 4));
  const dy = Float32Array.from({ length: n * 12 }, () => rng.uniform() - 0.5);
  const g = { planes: n * 2, H: 4, W: 6, kh: 2, kw: 2, sh: 2, sw: 2, outH: 2, outW: 3 };
  const [relu, y, at, dPooled, dx] = [new Float32Array(x.length), new Float32Array(n * 12), new Int32Array(n * 12), new Float32Array(x.length), new Float32Array(x.length)];
  referenceBackend.leakyRelu(x, relu, 0);
  referenceBackend.maxpool(relu, y, at, g);
  referenceBackend.maxpoolBackward(dy, at, dPooled, g);
  referenceBackend.leakyReluBackward(x, dPooled, dx, 0);
  const plain = (a: Float32Array) => [...a].map((v) => v + 0); // −0 and 0 alike
  for (const [label, backend] of await goldenBackends()) {
    const layers = [{ type: 'relu' }, { type: 'maxpool2d', size: 2 }, { type: 'flatten' }].map((l) => layerSchema.parse(l));
    const model = Model.build({ layers, output: 'softmax' }, { type: 'cross-entropy' }, shape, 12, backend, Rng.stream(0, 'i'), Rng.stream(0, 'd'));
    const input = new Tensor([n, ...shape], x);
    assert.equal(model.layers[0].forward(input, true), input, `${label}: the relu passes its input through`);
    let h = input;
    for (const layer of model.layers) h = layer.forward(h, true);
    let grad = new Tensor([n, 12], dy);
    for (let i = model.layers.length - 1; i >= 0; i--) grad = model.layers[i].backward(grad);
    assert.deepEqual(plain(h.data), plain(y), `${label}: values`);
    assert.deepEqual(plain(grad.data), plain(dx), `${label}: gradients`);
  }
});
