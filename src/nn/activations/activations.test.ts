import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose, golden } from '../../../test/helpers.js';
import { gradientError } from '../../../test/gradcheck.js';
import { context, goldenBackends } from '../../../test/layer-context.js';
import type { Backend } from '../../engine/backend.js';
import { Rng } from '../../random/rng.js';
import { Tensor } from '../../engine/tensor.js';
import type { LayerComponent } from '../layer.js';
import { elu } from './elu.js';
import { leakyRelu, relu } from './relu.js';
import { linear, sigmoid, tanh } from './squashing.js';

const cases: [string, LayerComponent, Record<string, unknown>][] = [
  ['sigmoid', sigmoid, {}],
  ['tanh', tanh, {}],
  ['relu', relu, {}],
  ['leaky_relu', leakyRelu, { alpha: 0.1 }],
  ['elu', elu, { alpha: 1.0 }],
];

function make(c: LayerComponent, options: Record<string, unknown>, shape: number[], backend?: Backend) {
  return c.create(c.schema.parse({ type: c.type, ...options }), context(shape, undefined, backend));
}

for (const [name, component, options] of cases) {
  test(`${name} forward and backward match PyTorch (golden.json) on every backend`, async () => {
    const g = golden.layers.cases[name];
    for (const [label, backend] of await goldenBackends()) {
      const layer = make(component, options, g.inputs.x.shape.slice(1), backend);
      const y = layer.forward(Tensor.from(g.inputs.x.shape, g.inputs.x.data), true);
      assertClose(y.data, g.output.data, 1e-4, 1e-6, `${name} y (${label})`);
      const dx = layer.backward(Tensor.from(g.upstream.shape, g.upstream.data));
      assertClose(dx.data, g.grad_inputs.x.data, 1e-4, 1e-6, `${name} dx (${label})`);
    }
  });
}

for (const component of [sigmoid, tanh, relu, leakyRelu, elu, linear]) {
  test(`${component.type} gradient agrees with finite differences`, () => {
    const rng = Rng.stream(5, component.type);
    // keep inputs away from relu's kink at 0, where the derivative is one-sided
    const x = Tensor.from([4, 6], Array.from({ length: 24 }, () => {
      const v = rng.normal();
      return Math.abs(v) < 0.05 ? v + 0.1 : v;
    }));
    const up = Float32Array.from({ length: 24 }, () => rng.normal());
    assert.ok(gradientError(make(component, {}, [6]), x, up, 1e-3) < 5e-3);
  });
}

test('relu has gradient 0 at exactly 0', () => {
  const layer = make(relu, {}, [1]);
  layer.forward(Tensor.from([1, 1], [0]), true);
  assert.equal(layer.backward(Tensor.from([1, 1], [1])).data[0], 0);
});
