import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../../test/helpers.js';
import { referenceBackend } from '../engine/reference.js';
import { Rng } from '../random/rng.js';
import { Model } from '../nn/model.js';
import { Optimizer } from '../optim/optimizers/optimizer.js';
import { sgd } from '../optim/optimizers/sgd.js';
import { loadWeights, readCheckpoint, restoreTraining, saveCheckpoint } from './checkpoint.js';

function parts(seed: number) {
  const model = Model.build(
    { layers: [{ type: 'dense', units: 4, init: { type: 'glorot-uniform' }, bias: { type: 'constant', value: 0 } }, { type: 'relu' }, { type: 'dense', units: 3, init: { type: 'glorot-uniform' }, bias: { type: 'constant', value: 0 } }], output: 'softmax' },
    { type: 'cross-entropy' }, [5], 3, referenceBackend, Rng.stream(seed, 'init'), Rng.stream(seed, 'dropout'),
  );
  const optimizer = new Optimizer(sgd.create(sgd.schema.parse({ type: 'sgd', momentum: 0.9 })));
  optimizer.step(model.namedParams().map(([name, p]) => ({ name, value: p.value.data, grad: p.value.data.map(() => 0.5) })), 0.1, 1);
  return { model, optimizer, rngs: { shuffle: Rng.stream(seed, 'shuffle') }, state: { epoch: 3, step: 30, wait: 0 }, metadata: { spec: '{}' } };
}

test('a checkpoint restores weights, optimizer state, random streams and training state', async () => {
  const dir = tempDir();
  const path = join(dir, 'last.safetensors');
  const a = parts(1);
  a.rngs.shuffle.uniform();
  await saveCheckpoint(path, a);
  const b = parts(2);
  const loaded = await readCheckpoint(path);
  restoreTraining(b, loaded, path);
  assert.deepEqual(loaded.state, { epoch: 3, step: 30, wait: 0 });
  for (const [[, p], [, q]] of a.model.namedParams().map((x, i) => [x, b.model.namedParams()[i]])) assert.deepEqual(q.value.data, p.value.data);
  assert.deepEqual([...b.optimizer.saveState().keys()], [...a.optimizer.saveState().keys()]);
  assert.deepEqual(b.rngs.shuffle.state, a.rngs.shuffle.state);
});

test('a crash while writing a checkpoint leaves the previous checkpoint intact', async () => {
  const dir = tempDir();
  const path = join(dir, 'last.safetensors');
  await saveCheckpoint(path, parts(1));
  const before = readFileSync(path);
  await assert.rejects(
    saveCheckpoint(path, parts(2), { beforeRename: () => { throw new Error('simulated crash'); } }),
    /simulated crash/,
  );
  assert.deepEqual(readFileSync(path), before);
  assert.deepEqual(readdirSync(dir), ['last.safetensors'], 'no temporary file is left behind');
  const model = parts(3).model;
  loadWeights(model, await readCheckpoint(path), path);
  assert.deepEqual(model.namedParams()[0][1].value.data, parts(1).model.namedParams()[0][1].value.data);
});

test('a checkpoint of another model is refused with both shapes', async () => {
  const dir = tempDir();
  const path = join(dir, 'c.safetensors');
  await saveCheckpoint(path, parts(1));
  const other = Model.build({ layers: [{ type: 'dense', units: 3, init: { type: 'zeros' }, bias: { type: 'constant', value: 0 } }], output: 'softmax' }, { type: 'cross-entropy' }, [5], 3, referenceBackend, Rng.stream(0, 'init'), Rng.stream(0, 'dropout'));
  assert.throws(() => loadWeights(other, { tensors: new Map(), metadata: {}, state: { epoch: 0, step: 0, wait: 0 } }, path), {
    message: `${path}: has no tensor model.layers.0.weight; the checkpoint does not belong to this model`,
  });
  const ckpt = await readCheckpoint(path);
  assert.throws(() => loadWeights(other, ckpt, path), { message: `${path}: model.layers.0.weight is [5, 4], the model needs [5, 3] float32` });
});

test('optimizer state is restored by value: a restored run continues on the original trajectory, a fresh optimizer does not', async () => {
  const adam = (await import('../optim/optimizers/adam.js')).adam;
  const make = () => new Optimizer(adam.create(adam.schema.parse({ type: 'adam', lr: 0.01 })), { weightDecay: 0 });
  const grads = (model: Model, t: number) => model.namedParams().map(([name, p]) => ({ name, value: p.value.data, grad: p.value.data.map((v, i) => Math.sin(v * 3 + i + t)) }));
  const dir = tempDir();
  const path = join(dir, 'last.safetensors');
  const a = { ...parts(1), optimizer: make() };
  for (let t = 1; t <= 5; t++) a.optimizer.step(grads(a.model, t), 0.01, t);
  await saveCheckpoint(path, a);
  const loaded = await readCheckpoint(path);
  const b = { ...parts(2), optimizer: make() };
  restoreTraining(b, loaded, path);
  const control = { ...parts(2), optimizer: make() };
  loadWeights(control.model, loaded, path); // the weights alone, not the moments
  for (const [name, value] of a.optimizer.saveState()) assert.deepEqual(b.optimizer.saveState().get(name), value, `${name} restored by value`);
  for (let t = 6; t <= 10; t++) for (const run of [a, b, control]) run.optimizer.step(grads(run.model, t), 0.01, t);
  const weights = (m: Model) => m.namedParams().map(([, p]) => [...p.value.data]);
  assert.deepEqual(weights(b.model), weights(a.model), 'the restored run continues bit-identically');
  assert.notDeepEqual(weights(control.model), weights(a.model), 'without the moments the trajectory differs');
});
