// Penalties on hand-computed values: weights only, never biases.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyPenalty, proximalL1, regularizationSchema } from './penalty.js';

const targets = () => [
  { value: Float64Array.from([0.5, -0.25, 0.05]), grad: Float64Array.from([1, 1, 1]), penalized: true },
  { value: Float64Array.from([0.5, -0.05]), grad: Float64Array.from([1, 1]), penalized: false }, // a bias
];

test('the penalty value is l1·Σ|w| + l2·Σw² over weights only', () => {
  // Σ|w| = 0.8, Σw² = 0.25 + 0.0625 + 0.0025 = 0.315
  assert.ok(Math.abs(applyPenalty(targets(), { l1: 0.1, l2: 0.2 }) - (0.1 * 0.8 + 0.2 * 0.315)) < 1e-15);
  assert.equal(applyPenalty(targets(), { l1: 0, l2: 0 }), 0);
});

test('L2 adds 2·l2·w to the weights\' gradient, nothing to the bias\'s', () => {
  const t = targets();
  assert.equal(applyPenalty(t, { l1: 0, l2: 0.5 }), 0.5 * 0.315);
  assert.deepEqual([...t[0].grad], [1.5, 0.75, 1.05]);
  assert.deepEqual([...t[1].grad], [1, 1]);
});

test('the L1 proximal step shrinks weights by lr·l1 and stops them at zero; biases stay', () => {
  const t = targets();
  proximalL1(t, { l1: 1, l2: 0 }, 0.1); // shrink by 0.1
  assert.deepEqual([...t[0].value], [0.4, -0.15, 0]);
  assert.deepEqual([...t[1].value], [0.5, -0.05]);
});

test('L1 alone leaves the gradient as it is; no penalty touches nothing', () => {
  for (const reg of [{ l1: 0.1, l2: 0 }, { l1: 0, l2: 0 }]) {
    const t = targets();
    t[0].grad[0] = -0;
    applyPenalty(t, reg);
    assert.ok(Object.is(t[0].grad[0], -0) && t[0].grad[1] === 1 && t[0].grad[2] === 1, JSON.stringify(reg));
  }
});

test('each penalty counts alone: l1 only, l2 only (Σ|w| = 0.8, Σw² = 0.315)', () => {
  assert.ok(Math.abs(applyPenalty(targets(), { l1: 0.1, l2: 0 }) - 0.08) < 1e-15);
  assert.ok(Math.abs(applyPenalty(targets(), { l1: 0, l2: 0.2 }) - 0.063) < 1e-15);
});

test('the L1 shrink is lr·l1: lr 0.1, l1 0.5 shrink by 0.05', () => {
  const t = targets();
  proximalL1(t, { l1: 0.5, l2: 0 }, 0.1);
  assert.ok(Math.abs(t[0].value[0] - 0.45) < 1e-15 && Math.abs(t[0].value[1] + 0.2) < 1e-15 && t[0].value[2] === 0, `${[...t[0].value]}`);
});

test('a spec\'s regularization: l1 and l2 default to 0, are ≥ 0, and nothing else is accepted', () => {
  assert.deepEqual(regularizationSchema.parse({}), { l1: 0, l2: 0 });
  assert.deepEqual(regularizationSchema.parse({ l1: 0.5 }), { l1: 0.5, l2: 0 });
  assert.deepEqual(regularizationSchema.parse({ l2: 0.25 }), { l1: 0, l2: 0.25 });
  for (const bad of [{ l1: -1 }, { l2: -0.1 }, { l3: 1 }]) assert.equal(regularizationSchema.safeParse(bad).success, false, JSON.stringify(bad));
});
