import assert from 'node:assert/strict';
import { test } from 'node:test';
import { referenceBackend } from '../engine/reference.js';
import { Tensor } from '../engine/tensor.js';
import { Rng } from '../random/rng.js';
import { layerSchema } from './layers/index.js';
import { lossSchema } from './losses/index.js';
import { ClassCountError, Model, ModelError } from './model.js';

type LayerInput = { type: string } & Record<string, unknown>;

function build(layers: LayerInput[], inputShape: number[], classes: number, loss: LayerInput = { type: 'cross-entropy' }, output?: string, regression?: Float32Array): Model {
  return Model.build({ layers: layers.map((l) => layerSchema.parse(l)), output }, lossSchema.parse(loss), inputShape, classes, referenceBackend, Rng.stream(3, 'init'), Rng.stream(3, 'dropout'), regression);
}

const randomTensor = (shape: number[], rng: Rng) => Tensor.from(shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()));

/** Worst error of lossAndGradients' parameter gradients against central differences of the loss. */
function gradientError(model: Model, x: Tensor, labels: Int32Array, h: number): number {
  model.lossAndGradients(x, labels);
  const analytic = model.params.map((p) => p.grad.data.slice());
  const loss = () => model.loss.compute(model.logits(x, true), labels).loss;
  let worst = 0;
  model.params.forEach((p, k) => {
    for (let i = 0; i < p.value.size; i++) {
      const keep = p.value.data[i];
      p.value.data[i] = keep + h;
      const up = loss();
      p.value.data[i] = keep - h;
      const down = loss();
      p.value.data[i] = keep;
      const numeric = (up - down) / (2 * h);
      worst = Math.max(worst, Math.abs(numeric - analytic[k][i]) / Math.max(1, Math.abs(numeric)));
    }
  });
  return worst;
}

test('lossAndGradients: every parameter gradient agrees with finite differences of the loss', () => {
  const rng = Rng.stream(11, 'test');
  const cases: [string, LayerInput[], number[]][] = [
    // the first layer has backwardParamsOnly (dense), or has none (batchnorm)
    ['dense first', [{ type: 'dense', units: 5 }, { type: 'tanh' }, { type: 'dense', units: 3 }], [4]],
    ['batchnorm first', [{ type: 'batchnorm' }, { type: 'dense', units: 4 }, { type: 'sigmoid' }, { type: 'dense', units: 3 }], [4]],
    // conv first (backwardParamsOnly), and a relu taken over by the max pooling after it
    ['conv first', [{ type: 'conv2d', filters: 2, kernel: 2 }, { type: 'relu' }, { type: 'maxpool2d', size: 2 }, { type: 'flatten' }, { type: 'dense', units: 3 }], [1, 4, 4]],
  ];
  for (const [name, layers, shape] of cases) {
    const model = build(layers, shape, 3);
    const x = randomTensor([5, ...shape], rng);
    const labels = Int32Array.from([0, 2, 1, 1, 0]);
    const error = gradientError(model, x, labels, 1e-3);
    assert.ok(error < 5e-3, `${name}: worst error ${error}`);
  }
});

test('lossAndGradients returns the loss of the training logits, and those logits', () => {
  const model = build([{ type: 'dense', units: 4 }, { type: 'batchnorm' }, { type: 'relu' }, { type: 'dense', units: 3 }], [2], 3);
  const x = Tensor.from([3, 2], [1, 2, -1, 0.5, 0, -2]);
  const labels = Int32Array.from([2, 0, 1]);
  const r = model.lossAndGradients(x, labels);
  // training mode: batchnorm normalizes with the batch's statistics, so the logits are the training ones
  const logits = Array.from(model.logits(x, true).data);
  assert.deepEqual(Array.from(r.logits.data), logits);
  assert.equal(r.loss, model.loss.compute(model.logits(x, true), labels).loss);
  assert.equal(r.grad.size, 9);
  assert.notDeepEqual(Array.from(model.logits(x, false).data), logits, 'inference uses the running statistics instead');
});

test('parameters and state have stable names, layers.<index>.<name>, buffers included in the state only', () => {
  const model = build([{ type: 'dense', units: 4, sparsity: { fanOut: 2 } }, { type: 'relu' }, { type: 'batchnorm' }, { type: 'dense', units: 3 }], [6], 3);
  assert.deepEqual(model.namedParams().map(([n]) => n), ['layers.0.weight', 'layers.0.bias', 'layers.2.gamma', 'layers.2.beta', 'layers.3.weight', 'layers.3.bias']);
  assert.deepEqual(model.namedParams().map(([, p]) => p), model.params);
  assert.deepEqual(model.namedState().map(([n, t]) => [n, t.size]), [
    ['layers.0.weight', 24], ['layers.0.bias', 4], ['layers.0.mask', 24],
    ['layers.2.gamma', 4], ['layers.2.beta', 4], ['layers.2.running_mean', 4], ['layers.2.running_var', 4],
    ['layers.3.weight', 12], ['layers.3.bias', 3],
  ]);
  assert.equal(model.namedState()[0][1], model.params[0].value, 'the state is the live tensors, not copies');
});

test('summary counts trainable values, a sparse layer only the weights its mask keeps', () => {
  // 6 inputs × 4 units with fanOut 2: 12 of 24 weights exist, plus 4 biases
  const model = build([{ type: 'dense', units: 4, sparsity: { fanOut: 2 } }, { type: 'relu' }, { type: 'batchnorm' }, { type: 'dense', units: 3 }], [6], 3);
  assert.deepEqual(model.summary(), [
    { layer: 'dense', outputShape: [4], params: 16, density: 0.5, weights: 12 },
    { layer: 'relu', outputShape: [4], params: 0 },
    { layer: 'batchnorm', outputShape: [4], params: 8 },
    { layer: 'dense', outputShape: [3], params: 15 },
  ]);
});

test('a relu before max pooling is handed to the pooling; any other pair is left alone', () => {
  const model = build([{ type: 'conv2d', filters: 2, kernel: 2 }, { type: 'relu' }, { type: 'maxpool2d', size: 2 }, { type: 'flatten' }, { type: 'dense', units: 3 }], [1, 4, 4], 3);
  assert.deepEqual(model.layers.map((l) => [l.type, l.params.length]), [['conv2d', 2], ['relu', 0], ['maxpool2d', 0], ['flatten', 0], ['dense', 2]]);
  // the relu passes its input through; the model's outputs are still relu-then-pool's
  const x = Tensor.from([1, 1, 4, 4], Array.from({ length: 16 }, (_, i) => (i % 5) - 2));
  assert.equal(model.layers[1].forward(x, false), x);
  const conv = build([{ type: 'conv2d', filters: 2, kernel: 2 }, { type: 'maxpool2d', size: 2 }, { type: 'flatten' }, { type: 'dense', units: 3 }], [1, 4, 4], 3);
  assert.equal(conv.layers[0].forward(x, false).shape.join(), '1,2,4,4', 'a conv before pooling is not a relu: it stays');
  // a relu last, or before a layer that cannot take it over, stays a relu
  const last = build([{ type: 'dense', units: 3 }, { type: 'relu' }], [2], 3, { type: 'mse' });
  const y = last.logits(Tensor.from([1, 2], [1, -1]), false);
  assert.ok(y.data.every((v) => v >= 0));
  const avg = build([{ type: 'conv2d', filters: 1, kernel: 1, init: { type: 'constant', value: 1 } }, { type: 'relu' }, { type: 'avgpool2d', size: 2 }, { type: 'flatten' }, { type: 'dense', units: 1, init: { type: 'constant', value: 1 } }], [1, 2, 2], 1, { type: 'mse' });
  // avg(relu(x)) = (1 + 0 + 3 + 0) / 4, where avg(x) would be (1 − 2 + 3 − 4) / 4
  assert.deepEqual(Array.from(avg.logits(Tensor.from([1, 1, 2, 2], [1, -2, 3, -4]), false).data), [1]);
});

test('an empty layer list is the identity when the input already has one value per class', () => {
  const model = build([], [3], 3);
  assert.deepEqual(Array.from(model.logits(Tensor.from([1, 3], [1, 2, 3]), false).data), [1, 2, 3]);
  assert.deepEqual(model.summary(), []);
});

test('build errors name the layer, the loss or the classes', () => {
  assert.throws(() => build([{ type: 'dense', units: 3 }], [2], 3, { type: 'cross-entropy' }, 'sigmoid'),
    (e: Error) => e instanceof ModelError && e.message === "model.output: loss 'cross-entropy' needs output 'softmax', found 'sigmoid'");
  assert.throws(() => build([{ type: 'dense', units: 4 }, { type: 'relu' }], [2], 3),
    (e: Error) => e instanceof ClassCountError && e.classes === 3 && e.message === 'model.layers: layer 2 (relu) gives shape [4], but the dataset has 3 classes');
  assert.throws(() => build([], [5], 3), { message: 'model.layers: the input gives shape [5], but the dataset has 3 classes' });
  const targets = Float32Array.from([0.5, -1]);
  assert.throws(() => build([{ type: 'dense', units: 2 }], [3], 1, { type: 'mse' }, undefined, targets),
    (e: Error) => e instanceof ModelError && !(e instanceof ClassCountError) && e.message === 'model.layers: layer 1 (dense) gives shape [2], but a regression target needs one output: make the last layer a dense layer with units: 1');
  assert.throws(() => build([{ type: 'dense', units: 1 }], [3], 1, { type: 'cross-entropy' }, undefined, targets),
    { message: "loss: 'cross-entropy' is for classes; a regression target needs 'mse', 'mae', 'huber'" });
  // a layer too big for one buffer is the spec's error, named, not a crash
  assert.throws(() => build([{ type: 'dense', units: 2 ** 31 }], [4], 2 ** 31),
    (e: Error) => e instanceof ModelError && e.message.startsWith('model.layers.0 (dense): too big for the memory: a buffer of 8,589,934,592 values'));
});

test('a regression model takes its targets by row id', () => {
  const targets = Float32Array.from([2, 9, 0.5]);
  const model = build([{ type: 'dense', units: 1, init: { type: 'constant', value: 0 } }], [2], 1, { type: 'mse' }, undefined, targets);
  // zero weights and bias predict 0: rows 0 and 2 give ((0 − 2)² + (0 − 0.5)²) / 2; row 1's 9 is not used
  const r = model.lossAndGradients(Tensor.from([2, 2], [1, 2, 3, 4]), Int32Array.from([0, 2]));
  assert.equal(r.loss, (4 + 0.25) / 2);
  assert.deepEqual(Array.from(r.grad.data), [-2, -0.5]);
});
