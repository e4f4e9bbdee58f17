import assert from 'node:assert/strict';
import { test } from 'node:test';
import { golden } from '../../../test/helpers.js';
import { gradientError } from '../../../test/gradcheck.js';
import { checkLayerGolden } from '../../../test/golden-layer.js';
import { context, goldenBackends } from '../../../test/layer-context.js';
import { Rng } from '../../random/rng.js';
import { Tensor } from '../../engine/tensor.js';
import { dense } from './dense.js';

const g = golden.layers.cases.dense;

test('dense forward and backward match PyTorch (golden.json) within 1e-4 relative on every backend', async () => {
  for (const [label, backend] of await goldenBackends()) {
    const layer = dense.create(dense.schema.parse({ type: 'dense', units: 3 }), context([6], Rng.stream(1, 'init'), backend));
    checkLayerGolden(layer, g, ['w', 'b'], 1e-4, 1e-6, `dense (${label})`);
  }
});

test('dense gradients agree with finite differences', () => {
  const rng = Rng.stream(3, 'test');
  const layer = dense.create(dense.schema.parse({ type: 'dense', units: 5, init: 'glorot-normal', bias: 0.3 }), context([7], rng));
  const x = Tensor.from([3, 7], Array.from({ length: 21 }, () => rng.normal()));
  const up = Float32Array.from({ length: 15 }, () => rng.normal());
  assert.ok(gradientError(layer, x, up) < 2e-3);
});

test('dense bias: a number is a constant; weights penalized, bias not', () => {
  const config = dense.schema.parse({ type: 'dense', units: 2, bias: 0.1 });
  const layer = dense.create(config, context([3]));
  assert.deepEqual([...layer.params[1].value.data], [Math.fround(0.1), Math.fround(0.1)]);
  assert.deepEqual(layer.params.map((p) => [p.name, p.penalized]), [['weight', true], ['bias', false]]);
});

test('dense initializers see fan-in = inputs and fan-out = units (He scale √(2/inputs))', () => {
  // 400 inputs, 10 units: He's σ is √(2/400) ≈ 0.071; with the fans swapped it would be √(2/10) ≈ 0.45
  for (const [init, expected] of [['he-normal', Math.sqrt(2 / 400)], ['he-uniform', Math.sqrt(2 / 400)]] as const) {
    const layer = dense.create(dense.schema.parse({ type: 'dense', units: 10, init }), context([400], Rng.stream(7, 'init')));
    const w = layer.params[0].value.data;
    const sd = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    assert.ok(Math.abs(sd - expected) < 0.05 * expected, `${init}: sd ${sd}, expected ${expected}`);
    if (init === 'he-uniform') assert.ok(w.every((v) => Math.abs(v) <= Math.sqrt(6 / 400)));
  }
});
