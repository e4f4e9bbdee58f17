import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose, golden } from '../../../test/helpers.js';
import { Optimizer } from './optimizer.js';
import { sgd } from './sgd.js';

const G = golden.optimizers;
// f(w) = 0.5·Σ h(w−c)² + 0.1·Σ sin(w), the golden objective
function gradient(w: Float64Array): Float64Array {
  return w.map((v, i) => G.h[i] * (v - G.c[i]) + 0.1 * Math.cos(v));
}

function trajectory(config: Record<string, unknown>, lr: number, steps = G.steps): number[][] {
  const optimizer = new Optimizer(sgd.create(sgd.schema.parse({ type: 'sgd', lr, ...config })));
  const w = Float64Array.from(G.w0);
  const out: number[][] = [];
  for (let t = 1; t <= steps; t++) {
    const grad = gradient(w);
    optimizer.step([{ name: 'w', value: w, grad }], lr, t);
    out.push([...w]);
  }
  return out;
}

// The golden runs are float64 and so is this check: every step within 1e-10 relative.
for (const [name, config] of [
  ['sgd', {}],
  ['sgd_momentum', { momentum: 0.9 }],
  ['sgd_nesterov', { momentum: 0.9, nesterov: true }],
] as const) {
  test(`${name} follows PyTorch's 30-step trajectory`, () => {
    const c = G.cases[name];
    const got = trajectory(config, c.hyperparameters.lr);
    got.forEach((w, i) => assertClose(w, c.trajectory[i], 1e-10, 1e-12, `${name} step ${i + 1}`));
  });
}

test("the deck's decoupled momentum form equals PyTorch's at constant lr", () => {
  const a = trajectory({ momentum: 0.9 }, 0.05);
  const b = trajectory({ momentum: 0.9, momentumForm: 'decoupled' }, 0.05);
  a.forEach((w, i) => assertClose(w, b[i], 1e-9, 1e-12, `step ${i + 1}`));
});

test('optimizer state saves and restores so a run continues bit-identically', () => {
  const config = sgd.schema.parse({ type: 'sgd', lr: 0.05, momentum: 0.9 });
  const straight = new Optimizer(sgd.create(config));
  const w1 = Float64Array.from(G.w0);
  for (let t = 1; t <= 10; t++) straight.step([{ name: 'w', value: w1, grad: gradient(w1) }], 0.05, t);
  const first = new Optimizer(sgd.create(config));
  const w2 = Float64Array.from(G.w0);
  for (let t = 1; t <= 5; t++) first.step([{ name: 'w', value: w2, grad: gradient(w2) }], 0.05, t);
  const second = new Optimizer(sgd.create(config));
  second.loadState([{ name: 'w', value: w2, grad: w2 }], first.saveState());
  for (let t = 6; t <= 10; t++) second.step([{ name: 'w', value: w2, grad: gradient(w2) }], 0.05, t);
  assert.deepEqual([...w2], [...w1]);
});
