// The connection patterns exactly: each is a function of the init stream, so a checkpoint's mask
// and a rerun's must agree bit for bit. The expected masks are built here from the papers' rule
// with a Fisher–Yates shuffle written out independently of sparsity.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../random/rng.js';
import { connectionMask, sparsitySchema } from './sparsity.js';

/** Fisher–Yates from the top: position i swaps with a uniform j ≤ i, one draw per i ≥ 1. */
function shuffled(n: number, rng: Rng): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i >= 1; i--) {
    const j = Math.floor(rng.uniform() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

test('structured: input rows[i] connects to outputs cols[(i·fanOut + j) mod out], rows and cols two shuffles in turn', () => {
  const [inputs, outputs, fanOut] = [6, 4, 2];
  const rng = Rng.stream(21, 'init');
  const rows = shuffled(inputs, rng);
  const cols = shuffled(outputs, rng);
  const expected = new Array(inputs * outputs).fill(0);
  for (let i = 0; i < inputs; i++) for (let j = 0; j < fanOut; j++) expected[rows[i] * outputs + cols[(i * fanOut + j) % outputs]] = 1;
  const stream = Rng.stream(21, 'init');
  assert.deepEqual(Array.from(connectionMask(inputs, outputs, { fanOut, pattern: 'structured' }, stream)), expected);
  // the stream moved on by exactly the two shuffles' draws, as the weights drawn after it assume
  assert.equal(stream.uniform(), rng.uniform());
});

test('random: the first fanOut·in cells of one shuffle of all in·out cells', () => {
  const rng = Rng.stream(22, 'init');
  const order = shuffled(15, rng);
  const expected = new Array(15).fill(0);
  for (const c of order.slice(0, 6)) expected[c] = 1;
  const stream = Rng.stream(22, 'init');
  assert.deepEqual(Array.from(connectionMask(3, 5, { fanOut: 2, pattern: 'random' }, stream)), expected);
  assert.equal(stream.uniform(), rng.uniform());
});

test('fanOut equal to the units connects everything; the pattern defaults to structured', () => {
  assert.ok(connectionMask(4, 3, { fanOut: 3, pattern: 'structured' }, Rng.stream(1, 'init')).every((v) => v === 1));
  assert.throws(() => connectionMask(4, 3, { fanOut: 4, pattern: 'random' }, Rng.stream(1, 'init')), { message: "sparsity.fanOut 4 is more than the layer's 3 units" });
  assert.deepEqual(sparsitySchema.parse({ fanOut: 2 }), { fanOut: 2, pattern: 'structured' });
  assert.deepEqual(sparsitySchema.parse({ fanOut: 2, pattern: 'structured' }), { fanOut: 2, pattern: 'structured' });
  assert.deepEqual(sparsitySchema.parse({ fanOut: 2, pattern: 'random' }), { fanOut: 2, pattern: 'random' });
  assert.equal(sparsitySchema.safeParse({ fanOut: 2, pattern: 'banded' }).success, false);
});
