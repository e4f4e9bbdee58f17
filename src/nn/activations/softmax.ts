// Softmax as a layer, anywhere in a model (attention-like weightings, a mixture's gates), not
// only fused with the cross-entropy loss: yᵢ = e^(xᵢ − max)/Σⱼ e^(xⱼ − max) over the last axis,
// and its backward dxᵢ = yᵢ·(dyᵢ − Σⱼ dyⱼ·yⱼ) (Bridle 1990,
// https://doi.org/10.1007/978-3-642-76153-9_28). Sums in float64; a few values per sample, so
// plain TypeScript on every backend.
import * as z from 'zod';
import { strictObject } from '../../common/schema.js';
import { Tensor } from '../../engine/tensor.js';
import type { Layer, LayerComponent } from '../layer.js';

const schema = strictObject({ type: z.literal('softmax') });

export const softmaxLayer = {
  type: 'softmax',
  summary: 'e^xᵢ/Σⱼ e^xⱼ over the last axis (a layer; cross-entropy applies its own softmax to the last layer)',
  schema,
  create(_c, { inputShape, backend }): Layer {
    const width = inputShape[inputShape.length - 1];
    let y: Tensor | undefined;
    let dx: Tensor | undefined;
    return {
      type: 'softmax',
      outputShape: inputShape,
      params: [],
      forward(x) {
        y = Tensor.reuse(y, x.shape, backend);
        const [xs, ys] = [x.data, y.data];
        for (let o = 0; o < xs.length; o += width) {
          let max = -Infinity;
          for (let i = o; i < o + width; i++) max = Math.max(max, xs[i]);
          let sum = 0;
          for (let i = o; i < o + width; i++) sum += Math.exp(xs[i] - max);
          for (let i = o; i < o + width; i++) ys[i] = Math.exp(xs[i] - max) / sum;
        }
        return y;
      },
      backward(dy) {
        if (!y) throw new Error('softmax.backward before forward');
        dx = Tensor.reuse(dx, dy.shape, backend);
        const [ys, dys, dxs] = [y.data, dy.data, dx.data];
        for (let o = 0; o < ys.length; o += width) {
          let dot = 0;
          for (let i = o; i < o + width; i++) dot += dys[i] * ys[i];
          for (let i = o; i < o + width; i++) dxs[i] = ys[i] * (dys[i] - dot);
        }
        return dx;
      },
    };
  },
} satisfies LayerComponent<typeof schema>;
