// Max and average pooling over non-overlapping (or strided) windows of NCHW images; no padding.
// Max pooling routes the gradient to the first maximum of each window.
import * as z from 'zod';
import { count, strictObject } from '../../common/schema.js';
import { Tensor } from '../../engine/tensor.js';
import type { Layer, LayerComponent } from '../layer.js';
import { convGeometry } from './conv2d.js';

function poolSchema<T extends string>(type: T) {
  const size = z.union([count(), z.tuple([count(), count()])]);
  return strictObject({ type: z.literal(type), size: size.default(2), stride: size.optional() });
}

function pooling(type: 'maxpool2d' | 'avgpool2d', summary: string): LayerComponent<ReturnType<typeof poolSchema>> {
  return {
    type,
    summary,
    schema: poolSchema(type),
    create(config, { inputShape, backend }): Layer {
      const g = convGeometry(inputShape, config.size, config.stride ?? config.size, 'valid', type);
      const { inC: C, inH: H, inW: W, kh, kw, sh, sw, outH, outW } = g;
      let argmax = new Int32Array(0);
      let input: Tensor | undefined;
      let out: Tensor | undefined;
      let dx: Tensor | undefined;
      return {
        type,
        outputShape: [C, outH, outW],
        params: [],
        forward(x) {
          const n = x.rows;
          const y = (out = Tensor.reuse(out, [n, C, outH, outW], backend));
          if (type === 'maxpool2d' && argmax.length < y.size) argmax = new Int32Array(y.size);
          if (type === 'maxpool2d') {
            backend.maxpool(x.data, y.data, argmax, { planes: n * C, H, W, kh, kw, sh, sw, outH, outW });
            input = x;
            return y;
          }
          const [xd, yd] = [x.data, y.data];
          const area = kh * kw;
          let o = 0;
          for (let plane = 0; plane < n * C; plane++) {
            const base = plane * H * W;
            for (let oy = 0; oy < outH; oy++) for (let ox = 0; ox < outW; ox++, o++) {
              const corner = base + oy * sh * W + ox * sw;
              let sum = 0;
              for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) sum += xd[corner + i * W + j];
              yd[o] = sum / area;
            }
          }
          input = x;
          return y;
        },
        backward(dy) {
          if (!input) throw new Error(`${type}.backward before forward`);
          dx = Tensor.reuse(dx, input.shape, backend);
          if (type === 'maxpool2d') {
            backend.maxpoolBackward(dy.data, argmax, dx.data, { planes: input.rows * C, H, W, kh, kw, sh, sw, outH, outW });
            return dx;
          }
          dx.data.fill(0);
          let o = 0;
          for (let plane = 0; plane < input.rows * C; plane++) {
            const base = plane * H * W;
            for (let oy = 0; oy < outH; oy++) for (let ox = 0; ox < outW; ox++, o++) {
              const share = dy.data[o] / (kh * kw);
              for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) dx.data[base + (oy * sh + i) * W + ox * sw + j] += share;
            }
          }
          return dx;
        },
      };
    },
  };
}

export const maxpool2d = pooling('maxpool2d', 'the maximum of each `size` window (n or [h, w]; stride `size` unless given)');
export const avgpool2d = pooling('avgpool2d', 'the mean of each `size` window (n or [h, w]; stride `size` unless given)');
