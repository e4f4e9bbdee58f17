// The lecture's claims about initialization and penalties, checked on iris.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSpec } from '../src/config/load.js';
import { build } from '../src/run/build.js';
import { freshState, train } from '../src/train/loop.js';

async function trained(yaml: string) {
  const spec = parseSpec('claims.yaml', yaml).resolved;
  const built = await build(spec, 'claims.yaml', { backend: 'reference' });
  await train({
    model: built.model, optimizer: built.optimizer, schedule: built.schedule, data: built.data,
    config: spec.train, shuffleRng: built.rngs.shuffle, regularization: spec.regularization,
    state: freshState(), events: [],
  });
  return built.model;
}

const base = (extra: string) => `name: claims
seed: 1
data: {dataset: iris, normalize: [zscore]}
model:
  layers:
    - {type: dense, units: 8, init: INIT, bias: 0.1}
    - relu
    - {type: dense, units: 3, init: INIT}
optimizer: {type: sgd, lr: 0.1}
train: {epochs: 20, batchSize: 16}
${extra}`;

test('with all-zero weights every hidden unit of a layer stays identical after training', async () => {
  const model = await trained(base('').replaceAll('INIT', 'zeros'));
  const [w1, b1] = model.layers[0].params.map((p) => p.value.data);
  const w2 = model.layers[2].params[0].value.data;
  for (let i = 0; i < 4; i++) for (let j = 1; j < 8; j++) assert.equal(w1[i * 8 + j], w1[i * 8], `W1 row ${i}`);
  for (let j = 1; j < 8; j++) assert.equal(b1[j], b1[0]);
  for (let j = 1; j < 8; j++) for (let k = 0; k < 3; k++) assert.equal(w2[j * 3 + k], w2[k], `W2 unit ${j}`);
  assert.ok(w2.some((v) => v !== 0), 'training did move the weights');
});

test('L1 drives some weights to exactly zero; L2 of the same strength leaves none at zero', async () => {
  const zeros = (model: Awaited<ReturnType<typeof trained>>) =>
    model.params.filter((p) => p.penalized).reduce((n, p) => n + p.value.data.filter((v) => v === 0).length, 0);
  const l1 = await trained(base('regularization: {l1: 0.02}').replaceAll('INIT', 'he-normal'));
  const l2 = await trained(base('regularization: {l2: 0.02}').replaceAll('INIT', 'he-normal'));
  assert.ok(zeros(l1) >= 5, `L1 zeroed ${zeros(l1)} weights`);
  assert.equal(zeros(l2), 0);
  // penalties act on weights only: biases are not shrunk to zero
  assert.ok(l1.params.filter((p) => !p.penalized).every((p) => p.value.data.some((v) => v !== 0)));
});

test('augmentation changes training batches only: the data, validation and test stay untouched', async () => {
  const spec = parseSpec('aug.yaml', `name: aug
data: {dataset: digits, normalize: [minmax], augment: [{type: flip, p: 1}, {type: rotate, degrees: 10}], split: {val: 100, test: 100}}
model: {layers: [{type: dense, units: 10}]}
train: {epochs: 2, batchSize: 64}
`).resolved;
  const built = await build(spec, 'aug.yaml', { backend: 'reference' });
  const snapshot = [built.data.train.x.slice(), built.data.val.x.slice(), built.data.test!.x.slice()];
  let augmentedRows = 0;
  const augment = built.augment!;
  await train({
    model: built.model, optimizer: built.optimizer, schedule: built.schedule, data: built.data,
    config: spec.train, shuffleRng: built.rngs.shuffle, regularization: spec.regularization, state: freshState(), events: [],
    augment: (batch) => {
      augmentedRows += batch.rows;
      augment(batch);
    },
  });
  assert.equal(augmentedRows, 2 * built.data.train.y.length, 'every training row, every epoch, and nothing else');
  assert.deepEqual([built.data.train.x, built.data.val.x, built.data.test!.x], snapshot);
});

test('sigmoid gradients vanish with depth; ReLU with He initialization keeps them', async () => {
  const { Model } = await import('../src/nn/model.js');
  const { referenceBackend } = await import('../src/engine/reference.js');
  const { Tensor } = await import('../src/engine/tensor.js');
  const { Rng } = await import('../src/random/rng.js');
  const { specSchema } = await import('../src/config/spec.js');
  // ten dense layers of 32 units; the ratio of the first layer's weight-gradient norm to the last hidden one's
  const ratio = (activation: string, init: string) => {
    const layers = Array.from({ length: 10 }, () => [{ type: 'dense', units: 32, init: { type: init }, bias: { type: 'zeros' } }, { type: activation }]).flat();
    const spec = specSchema.shape.model.parse({ layers: [...layers, { type: 'dense', units: 4, init: { type: init }, bias: { type: 'zeros' } }], output: 'softmax' });
    const model = Model.build(spec,
      { type: 'cross-entropy' }, [32], 4, referenceBackend, Rng.stream(3, 'init'), Rng.stream(3, 'dropout'));
    const rng = Rng.stream(4, 'x');
    const x = Tensor.from([64, 32], Array.from({ length: 64 * 32 }, () => rng.normal()));
    model.lossAndGradients(x, Int32Array.from({ length: 64 }, (_, i) => i % 4));
    const norms = model.layers.filter((l) => l.type === 'dense').map((l) => Math.hypot(...l.params[0].grad.data));
    return norms[0] / norms[norms.length - 2];
  };
  const sigmoid = ratio('sigmoid', 'glorot-uniform');
  const relu = ratio('relu', 'he-normal');
  // σ' ≤ 1/4: across nine layers the gradient shrinks by about 4⁻⁹ ≈ 4e-6 (the weights' gain is ≈ 1)
  assert.ok(sigmoid < 1e-3, `sigmoid: first/last ${sigmoid}`);
  assert.ok(relu > 0.1 && relu < 10, `relu + he: first/last ${relu}`);
});
