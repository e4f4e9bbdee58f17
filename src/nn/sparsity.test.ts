import assert from 'node:assert/strict';
import { test } from 'node:test';
import { context } from '../../test/layer-context.js';
import { Rng } from '../random/rng.js';
import { Tensor } from '../engine/tensor.js';
import { dense } from './layers/dense.js';
import { connectionMask } from './sparsity.js';

const sums = (mask: Float32Array, rows: number, cols: number) => ({
  rows: Array.from({ length: rows }, (_, i) => mask.subarray(i * cols, (i + 1) * cols).reduce((a, b) => a + b, 0)),
  cols: Array.from({ length: cols }, (_, j) => Array.from({ length: rows }, (_, i) => mask[i * cols + j]).reduce((a, b) => a + b, 0)),
});

test('structured sparsity has exact degrees: fanOut per input, fanIn per output', () => {
  for (const [inputs, outputs, fanOut] of [[800, 100, 50], [12, 8, 2], [6, 9, 3]]) {
    const mask = connectionMask(inputs, outputs, { fanOut, pattern: 'structured' }, Rng.stream(1, 'init'));
    const s = sums(mask, inputs, outputs);
    assert.ok(s.rows.every((r) => r === fanOut), `${inputs}×${outputs}: every input has ${fanOut}`);
    assert.ok(s.cols.every((c) => c === (inputs * fanOut) / outputs), `${inputs}×${outputs}: every output has fanIn`);
  }
  const a = connectionMask(12, 8, { fanOut: 2, pattern: 'structured' }, Rng.stream(1, 'init'));
  const b = connectionMask(12, 8, { fanOut: 2, pattern: 'structured' }, Rng.stream(2, 'init'));
  assert.notDeepEqual(a, b, 'the pattern follows the seed');
});

test('random sparsity keeps ⌈density·in·out⌉ cells; bad fan-outs are shape errors', () => {
  const mask = connectionMask(10, 7, { fanOut: 3, pattern: 'random' }, Rng.stream(1, 'init'));
  assert.equal(mask.reduce((a, b) => a + b, 0), 30); // density 3/7 of 70 cells
  assert.throws(() => connectionMask(10, 7, { fanOut: 3, pattern: 'structured' }, Rng.stream(1, 'init')),
    /fanIn = inputs·fanOut\/units = 10·3\/7 is not a whole number/);
  assert.throws(() => connectionMask(10, 7, { fanOut: 8, pattern: 'random' }, Rng.stream(1, 'init')), /fanOut 8 is more than the layer's 7 units/);
});

test('a sparse dense layer masks its weights and their gradients, and reports its density', () => {
  const config = dense.schema.parse({ type: 'dense', units: 8, sparsity: { fanOut: 2 } });
  const layer = dense.create(config, context([12]));
  const [weight] = layer.params;
  const mask = layer.buffers![0].value.data;
  assert.equal(layer.density, 0.25);
  assert.ok(weight.value.data.every((w, i) => mask[i] === 1 || w === 0), 'masked weights start at 0');
  const x = Tensor.from([3, 12], Array.from({ length: 36 }, (_, i) => Math.sin(i)));
  layer.forward(x, true);
  layer.backward(Tensor.from([3, 8], Array.from({ length: 24 }, (_, i) => Math.cos(i))));
  assert.ok(weight.grad.data.every((g, i) => mask[i] === 1 || g === 0), 'masked gradients are 0');
  assert.ok(weight.grad.data.some((g, i) => mask[i] === 1 && g !== 0));
});
