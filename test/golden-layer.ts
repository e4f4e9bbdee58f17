// One golden case of golden.json run through a layer: load its parameters, then compare the
// forward output, the input gradient and every parameter gradient with PyTorch's.
import assert from 'node:assert/strict';
import type { Layer } from '../src/nn/layer.js';
import { Tensor } from '../src/engine/tensor.js';
import { assertClose } from './helpers.js';

type Values = { shape: number[]; data: number[] };
export interface GoldenLayerCase {
  inputs: { x: Values };
  params: Record<string, Values>;
  output: Values;
  upstream: Values;
  grad_inputs: { x: Values };
  grad_params: Record<string, Values>;
}

/** `names` maps golden.json's parameter names to the layer's params, in the layer's order. */
export function checkLayerGolden(layer: Layer, g: GoldenLayerCase, names: string[], rtol = 1e-4, atol = 1e-5, what = ''): void {
  names.forEach((name, i) => layer.params[i].value.data.set(g.params[name].data));
  const y = layer.forward(Tensor.from(g.inputs.x.shape, g.inputs.x.data), true);
  assert.deepEqual([...y.shape], g.output.shape, `${what} output shape`);
  assertClose(y.data, g.output.data, rtol, atol, `${what} y`);
  const dx = layer.backward(Tensor.from(g.upstream.shape, g.upstream.data));
  assertClose(dx.data, g.grad_inputs.x.data, rtol, atol, `${what} dx`);
  names.forEach((name, i) => assertClose(layer.params[i].grad.data, g.grad_params[name].data, rtol, atol, `${what} d${name}`));
}
