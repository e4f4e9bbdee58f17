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
    let shape: readonly number[] = [];
    return {
      type: 'flatten',
      outputShape: [size],
      params: [],
      forward(x) {
        shape = x.shape;
        return x.reshape([x.rows, size]);
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
  create({ keep }, { inputShape, dropoutRng }): Layer {
    let mask = new Float32Array(0);
    let training = false;
    return {
      type: 'dropout',
      outputShape: inputShape,
      params: [],
      forward(x, isTraining) {
        training = isTraining && keep < 1;
        if (!training) return x;
        if (mask.length < x.size) mask = new Float32Array(x.size);
        const y = new Tensor(x.shape);
        for (let i = 0; i < x.size; i++) {
          mask[i] = dropoutRng.uniform() < keep ? 1 / keep : 0;
          y.data[i] = x.data[i] * mask[i];
        }
        return y;
      },
      backward(dy) {
        if (!training) return dy;
        const dx = new Tensor(dy.shape);
        for (let i = 0; i < dy.size; i++) dx.data[i] = dy.data[i] * mask[i];
        return dx;
      },
    };
  },
} satisfies LayerComponent<typeof dropoutSchema>;
