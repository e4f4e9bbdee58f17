// Tensor.reuse: layers keep their output buffers from batch to batch through it, so what it
// hands back for the same, a smaller and a larger shape is what an epoch allocates.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Tensor, type TensorMemory } from './tensor.js';

/** A memory that records what it hands out and gets back. */
function recording() {
  const given: Float32Array[] = [];
  const freed: Float32Array[] = [];
  const memory: TensorMemory = {
    alloc(n) {
      const b = new Float32Array(n);
      given.push(b);
      return b;
    },
    free(b) {
      freed.push(b);
    },
  };
  return { memory, given, freed };
}

test('Tensor.reuse: the same tensor for the same shape, the front of the held buffer for a smaller one, a new buffer only for a larger one', () => {
  const { memory, given, freed } = recording();
  const a = Tensor.reuse(undefined, [4, 3], memory);
  assert.equal(given.length, 1);
  assert.equal(Tensor.reuse(a, [4, 3], memory), a);
  // an epoch's last batch: a view on the front of the same buffer, nothing allocated
  a.data.fill(7);
  const small = Tensor.reuse(a, [2, 3], memory);
  assert.deepEqual(small.shape, [2, 3]);
  assert.equal(small.data.buffer, a.data.buffer);
  assert.equal(small.data.byteOffset, a.data.byteOffset);
  assert.equal(small.data.length, 6);
  // the next epoch's full batch: the whole buffer again, still nothing allocated
  const back = Tensor.reuse(small, [4, 3], memory);
  assert.equal(back.data.length, 12);
  assert.equal(back.data.buffer, a.data.buffer);
  assert.deepEqual([given.length, freed.length], [1, 0]);
  // larger: a new buffer, and the whole old one (not the view) goes back to the memory
  const big = Tensor.reuse(Tensor.reuse(back, [1, 3], memory), [5, 3], memory);
  assert.equal(given.length, 2);
  assert.equal(big.data, given[1]);
  assert.deepEqual(freed, [given[0]]);
  assert.deepEqual(Array.from(big.data), new Array(15).fill(0));
});

test('Tensor.reuse without a memory allocates zeroed buffers and reuses them the same way', () => {
  const a = Tensor.reuse(undefined, [3]);
  assert.deepEqual(Array.from(a.data), [0, 0, 0]);
  assert.equal(Tensor.reuse(a, [2]).data.buffer, a.data.buffer);
  assert.notEqual(Tensor.reuse(a, [4]).data.buffer, a.data.buffer);
});
