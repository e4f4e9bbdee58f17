// Flatten: [channels, height, width] (or any shape) to one feature vector, in row-major order.
// Dropout (Srivastava et al. 2014, https://jmlr.org/papers/v15/srivastava14a.html) in its
// inverted form: at training keep each unit with probability `keep` and scale it by 1/keep, at
// inference pass everything through.
import * as z from 'zod';
import { strictObject } from '../../common/schema.js';
import { Tensor } from '../../engine/tensor.js';
import type { Layer, LayerComponent } from '../layer.js';

const flattenSchema = strictObject({ type: z.literal('flatten') });
export const flatten = {
  type: 'flatten',
  summary: 'one feature vector per sample',
  schema: flattenSchema,
  create(_c, { inputShape }): Layer {
    const size = inputShape.reduce((a, b) => a * b, 1);
    // the last input and its flat view: a batch's tensor comes back batch after batch, its view with it
    let input: Tensor | undefined;
    let flat: Tensor | undefined;
    let shape: readonly number[] = [];
    return {
      type: 'flatten',
      outputShape: [size],
      params: [],
      forward(x) {
        if (x !== input || !flat) {
          input = x;
          flat = x.reshape([x.rows, size]);
        }
        shape = x.shape;
        return flat;
      },
      backward: (dy) => dy.reshape(shape),
    };
  },
} satisfies LayerComponent<typeof flattenSchema>;

const dropoutSchema = strictObject({ type: z.literal('dropout'), keep: z.number().gt(0).max(1).default(0.5) });
export const dropout = {
  type: 'dropout',
  summary: 'inverted dropout: keep each unit with probability `keep` (0.5) while training, scaled by 1/keep',
  schema: dropoutSchema,
  create({ keep }, { inputShape, dropoutRng, backend }): Layer {
    let training = false;
    let [y, mask, dx]: (Tensor | undefined)[] = [];
    return {
      type: 'dropout',
      outputShape: inputShape,
      params: [],
      forward(x, isTraining) {
        training = isTraining && keep < 1;
        if (!training) return x;
        y = Tensor.reuse(y, x.shape, backend);
        mask = Tensor.reuse(mask, x.shape, backend);
        backend.dropout(x.data, y.data, mask.data, keep, dropoutRng);
        return y;
      },
      backward(dy) {
        if (!training) return dy;
        dx = Tensor.reuse(dx, dy.shape, backend);
        backend.dropoutBackward(dy.data, mask!.data, dx.data);
        return dx;
      },
    };
  },
} satisfies LayerComponent<typeof dropoutSchema>;
