import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gradientError } from '../../../test/gradcheck.js';
import { assertClose, golden } from '../../../test/helpers.js';
import { context, goldenBackends } from '../../../test/layer-context.js';
import { referenceBackend } from '../../engine/reference.js';
import { Tensor } from '../../engine/tensor.js';
import { Rng } from '../../random/rng.js';
import { layerSchema } from '../layers/index.js';
import { Model, ModelError } from '../model.js';
import { softmaxLayer } from './softmax.js';

const make = (shape: number[], backend = referenceBackend) => softmaxLayer.create({ type: 'softmax' }, context(shape, undefined, backend));

test('softmax layer forward and backward match PyTorch (golden.json) on every backend', async () => {
  const g = golden.layers.cases.softmax;
  for (const [label, backend] of await goldenBackends()) {
    const layer = make(g.inputs.x.shape.slice(1), backend);
    const y = layer.forward(Tensor.from(g.inputs.x.shape, g.inputs.x.data), true);
    assertClose(y.data, g.output.data, 1e-5, 1e-7, `softmax y (${label})`);
    const dx = layer.backward(Tensor.from(g.upstream.shape, g.upstream.data));
    assertClose(dx.data, g.grad_inputs.x.data, 1e-4, 1e-6, `softmax dx (${label})`);
  }
});

test('softmax layer gradient agrees with finite differences, rows summing to 1', () => {
  const rng = Rng.stream(9, 'softmax');
  const x = Tensor.from([5, 7], Array.from({ length: 35 }, () => 3 * rng.normal()));
  const up = Float32Array.from({ length: 35 }, () => rng.normal());
  assert.ok(gradientError(make([7]), x, up, 1e-3) < 5e-3);
  const y = make([7]).forward(x, false);
  for (let r = 0; r < 5; r++) assert.ok(Math.abs(y.data.subarray(r * 7, r * 7 + 7).reduce((a, b) => a + b, 0) - 1) < 1e-6);
});

test('softmax works over the last axis of image-shaped input, and large inputs do not overflow', () => {
  const layer = make([2, 1, 3]);
  const y = layer.forward(Tensor.from([1, 2, 1, 3], [1000, 1000, 1000, -5, 0, 5]), false);
  assertClose(y.data, [1 / 3, 1 / 3, 1 / 3, Math.exp(-10) / (1 + Math.exp(-5) + Math.exp(-10)), Math.exp(-5) / (1 + Math.exp(-5) + Math.exp(-10)), 1 / (1 + Math.exp(-5) + Math.exp(-10))], 1e-6, 1e-7, 'y');
});

const build = (layers: { type: string; units?: number }[]) => Model.build({ layers: layers.map((l) => layerSchema.parse(l)) }, { type: 'cross-entropy' }, [4], 3, referenceBackend, Rng.stream(1, 'init'), Rng.stream(1, 'dropout'));

test('a softmax layer inside a model trains through its gradient', () => {
  const model = build([{ type: 'dense', units: 5 }, { type: 'softmax' }, { type: 'dense', units: 3 }]);
  const x = Tensor.from([2, 4], [1, 2, 3, 4, -1, 0, 1, 2]);
  model.lossAndGradients(x, Int32Array.from([0, 2]));
  const first = model.layers[0].params.find((p) => p.name === 'weight')!;
  assert.ok(first.grad.data.some((v) => v !== 0), 'the gradient reaches the layer before the softmax');
});

test('a softmax last layer before cross-entropy is refused: softmax would apply twice', () => {
  assert.throws(() => build([{ type: 'dense', units: 3 }, { type: 'softmax' }]), (e: Error) =>
    e instanceof ModelError && e.message === "model.layers.1: loss 'cross-entropy' applies softmax to the last layer's outputs itself; a softmax layer here would apply it twice: remove it");
});
