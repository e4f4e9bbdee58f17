// The Optimizer around every rule: the state it keeps per parameter, named `<param>.<slot>` in
// checkpoints (so these names are a file format: a checkpoint from an earlier version must still
// load), in float32 for float32 weights, and restored only when every slot of a parameter is there.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../../test/helpers.js';
import type { Backend } from '../../engine/backend.js';
import { referenceBackend } from '../../engine/reference.js';
import { createOptimizer, optimizerSchema, optimizerRegistry } from './index.js';

const slotsOf: [Record<string, unknown>, string[]][] = [
  [{ type: 'sgd' }, []],
  [{ type: 'sgd', momentum: 0.9 }, ['velocity']],
  [{ type: 'sgd', momentum: 0.9, momentumForm: 'decoupled' }, ['velocity']],
  [{ type: 'sgd', momentum: 0.9, nesterov: true }, ['velocity']],
  [{ type: 'adagrad' }, ['sum']],
  [{ type: 'adadelta' }, ['squareAvg', 'deltaAvg']],
  [{ type: 'rmsprop' }, ['squareAvg']],
  [{ type: 'rmsprop', momentum: 0.5 }, ['squareAvg', 'momentum']],
  [{ type: 'adam' }, ['m', 'v']],
  [{ type: 'adamax' }, ['m', 'u']],
  [{ type: 'nadam' }, ['m', 'v']],
];

test('the optimizers a spec may name', () => {
  assert.deepEqual(optimizerRegistry.types, ['sgd', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'adamax', 'nadam']);
  for (const name of optimizerRegistry.types) assert.equal(optimizerSchema.parse(name).type, name);
  assert.throws(() => optimizerRegistry.find('lbfgs'), { message: "no optimizer 'lbfgs'" });
});

test('each optimizer saves the slots a checkpoint names <param>.<slot>, float32 for float32 weights', () => {
  for (const [spec, slots] of slotsOf) {
    const optimizer = createOptimizer(optimizerSchema.parse(spec));
    optimizer.step([{ name: 'dense.w', value: Float32Array.from([0.5, -1]), grad: Float32Array.from([0.1, 0.2]) }], 0.01, 1);
    const saved = optimizer.saveState();
    assert.deepEqual([...saved.keys()], slots.map((s) => `dense.w.${s}`), JSON.stringify(spec));
    for (const v of saved.values()) assert.ok(v instanceof Float32Array && v.length === 2, `${JSON.stringify(spec)}: float32 state`);
  }
});

test('Adam on float32 weights without a backend: the first step is w − lr·g/(|g| + ε)', () => {
  // m̂ = g and v̂ = g² after one step, whatever β1 and β2
  const optimizer = createOptimizer(optimizerSchema.parse({ type: 'adam', lr: 0.1, eps: 0.5 }));
  const w = Float32Array.from([1, 1]);
  optimizer.step([{ name: 'w', value: w, grad: Float32Array.from([2, -0.5]) }], 0.1, 1);
  assertClose(w, [1 - (0.1 * 2) / 2.5, 1 + (0.1 * 0.5) / 1], 1e-7, 0, 'adam step 1');
});

test('a parameter whose saved state lacks a slot starts from zero state instead of failing', () => {
  const spec = optimizerSchema.parse({ type: 'adam', lr: 0.1 });
  const grad = () => Float64Array.from([2, -0.5]);
  const first = createOptimizer(spec);
  const w = Float64Array.from([1, 1]);
  first.step([{ name: 'w', value: w, grad: grad() }], 0.1, 1);
  const partial = new Map([...first.saveState()].filter(([k]) => k === 'w.m'));
  const resumed = createOptimizer(spec);
  resumed.loadState([{ name: 'w', value: w, grad: grad() }], partial);
  assert.equal(resumed.saveState().size, 0, 'nothing restored for w');
  const fresh = createOptimizer(spec);
  const a = Float64Array.from(w);
  const b = Float64Array.from(w);
  resumed.step([{ name: 'w', value: a, grad: grad() }], 0.1, 1);
  fresh.step([{ name: 'w', value: b, grad: grad() }], 0.1, 1);
  assert.deepEqual([...a], [...b]);
});

test("with a backend, Adam's float32 update runs in the backend's kernel (threads, SIMD); float64 weights never go there", () => {
  let calls = 0;
  const backend: Backend = { ...referenceBackend, adam: (...args) => { calls++; referenceBackend.adam(...args); } };
  const optimizer = createOptimizer(optimizerSchema.parse({ type: 'adam', lr: 0.1, eps: 0.5 }), backend);
  const w = Float32Array.from([1, 1]);
  optimizer.step([{ name: 'w', value: w, grad: Float32Array.from([2, -0.5]) }], 0.1, 1);
  assert.equal(calls, 1);
  assertClose(w, [1 - (0.1 * 2) / 2.5, 1 + (0.1 * 0.5) / 1], 1e-7, 0, 'adam step 1 in the kernel');
  optimizer.step([{ name: 'w64', value: Float64Array.from([1]), grad: Float64Array.from([1]) }], 0.1, 1);
  assert.equal(calls, 1, 'float64 weights use the float64 rule');
});
