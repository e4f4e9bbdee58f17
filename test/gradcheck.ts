// Finite-difference checks for layers: d(sum(y·g))/dθ by central differences in float64 over
// the float32 layer, compared with the layer's backward.
import type { Layer } from '../src/nn/layer.js';
import { Tensor } from '../src/engine/tensor.js';

function objective(layer: Layer, x: Tensor, g: Float32Array): number {
  const y = layer.forward(x, true);
  let s = 0;
  for (let i = 0; i < y.size; i++) s += y.data[i] * g[i];
  return s;
}

/** Worst relative error over the input and every parameter. */
export function gradientError(layer: Layer, x: Tensor, g: Float32Array, h = 1e-2): number {
  const y = layer.forward(x, true);
  const dx = layer.backward(new Tensor(y.shape, g.slice()));
  const analytic: [Float32Array, Float32Array][] = [[x.data, dx.data.slice()], ...layer.params.map((p): [Float32Array, Float32Array] => [p.value.data, p.grad.data.slice()])];
  let worst = 0;
  for (const [values, grads] of analytic) {
    for (let i = 0; i < values.length; i++) {
      const keep = values[i];
      values[i] = keep + h;
      const up = objective(layer, x, g);
      values[i] = keep - h;
      const down = objective(layer, x, g);
      values[i] = keep;
      const numeric = (up - down) / (2 * h);
      worst = Math.max(worst, Math.abs(numeric - grads[i]) / Math.max(1, Math.abs(numeric)));
    }
  }
  return worst;
}
