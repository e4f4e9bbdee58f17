// An activation layer's backward needs the input (and output) of its forward: called first, it
// says so instead of computing with stale or missing tensors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { context } from '../../../test/layer-context.js';
import { Tensor } from '../../engine/tensor.js';
import type { LayerComponent } from '../layer.js';
import { elu } from './elu.js';
import { relu } from './relu.js';
import { softmaxLayer } from './softmax.js';
import { sigmoid } from './squashing.js';

test('backward before forward is refused with a message naming the activation', () => {
  const components: LayerComponent[] = [relu, sigmoid, elu, softmaxLayer];
  for (const component of components) {
    const layer = component.create(component.schema.parse({ type: component.type }), context([2]));
    assert.equal(layer.type, component.type);
    assert.throws(() => layer.backward(Tensor.from([1, 2], [1, 1])), { message: `${component.type}.backward before forward` });
  }
});
