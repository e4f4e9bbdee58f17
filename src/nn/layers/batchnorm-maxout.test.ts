import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gradientError } from '../../../test/gradcheck.js';
import { assertClose, golden } from '../../../test/helpers.js';
import { checkLayerGolden } from '../../../test/golden-layer.js';
import { context, goldenBackends } from '../../../test/layer-context.js';
import { Rng } from '../../random/rng.js';
import { Tensor } from '../../engine/tensor.js';
import { batchnorm } from './batchnorm.js';
import { maxout } from './maxout.js';

const G = golden.layers.cases;

for (const name of ['batchnorm_train_dense', 'batchnorm_train_conv']) {
  test(`${name} matches PyTorch in training mode on every backend`, async () => {
    const g = G[name];
    for (const [label, backend] of await goldenBackends()) {
      const layer = batchnorm.create(batchnorm.schema.parse({ type: 'batchnorm', eps: g.eps }), context(g.inputs.x.shape.slice(1), undefined, backend));
      checkLayerGolden(layer, g, ['gamma', 'beta'], 1e-4, 1e-5, `${name} (${label})`);
    }
  });
}

test('batchnorm running statistics match PyTorch (momentum 0.1, unbiased variance) and drive inference, on every backend', async () => {
  const g = G.batchnorm_running_stats;
  for (const [label, backend] of await goldenBackends()) {
    const layer = batchnorm.create(batchnorm.schema.parse({ type: 'batchnorm', momentum: g.momentum }), context([5], undefined, backend));
    const x = Tensor.from(g.inputs.x.shape, g.inputs.x.data);
    layer.forward(x, true);
    const [mean, variance] = layer.buffers!.map((b) => b.value.data);
    assertClose(mean, g.running_mean_after.data, 1e-5, 1e-7, `running mean (${label})`);
    assertClose(variance, g.running_var_after.data, 1e-5, 1e-7, `running var (${label})`);
    const y = layer.forward(x, false);
    for (let c = 0; c < 5; c++) {
      const expected = (x.data[c] - mean[c]) / Math.sqrt(variance[c] + 1e-5);
      assert.ok(Math.abs(y.data[c] - expected) < 1e-5, `inference (${label})`);
    }
    assert.deepEqual(layer.params.map((p) => p.penalized), [false, false]);
  }
});

test('maxout matches PyTorch (k = 2, weights [in, out, k]) on every backend', async () => {
  const g = G.maxout_dense;
  for (const [label, backend] of await goldenBackends()) {
    const layer = maxout.create(maxout.schema.parse({ type: 'maxout', units: 3, pieces: 2 }), context([6], undefined, backend));
    checkLayerGolden(layer, g, ['w', 'b'], 1e-4, 1e-6, `maxout (${label})`);
  }
});

test('batchnorm and maxout gradients agree with finite differences', () => {
  const rng = Rng.stream(8, 'fd');
  const bn = batchnorm.create(batchnorm.schema.parse({ type: 'batchnorm' }), context([2, 3, 3], rng));
  bn.params[0].value.data.set([1.5, -0.5]);
  const xb = Tensor.from([3, 2, 3, 3], Array.from({ length: 54 }, () => rng.normal()));
  assert.ok(gradientError(bn, xb, Float32Array.from({ length: 54 }, () => rng.normal()), 1e-2) < 5e-3);
  const mo = maxout.create(maxout.schema.parse({ type: 'maxout', units: 4, pieces: 3 }), context([5], rng));
  const xm = Tensor.from([3, 5], Array.from({ length: 15 }, () => rng.normal()));
  assert.ok(gradientError(mo, xm, Float32Array.from({ length: 12 }, () => rng.normal()), 1e-3) < 5e-3);
});
