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

function pooling<T extends 'maxpool2d' | 'avgpool2d'>(type: T, summary: string): LayerComponent<ReturnType<typeof poolSchema<T>>> {
  return {
    type,
    summary,
    schema: poolSchema(type),
    create(config, { inputShape, backend }): Layer {
      const g = convGeometry(inputShape, config.size, config.stride ?? config.size, 'valid', type);
      const { inC: C, inH: H, inW: W, kh, kw, sh, sw, outH, outW } = g;
      let argmax: Int32Array = new Int32Array(0);
      let argmaxMemory: Float32Array | undefined; // argmax's int32s live in the backend's memory
      let input: Tensor | undefined;
      let out: Tensor | undefined;
      let dx: Tensor | undefined;
      // a relu taken over from the layer before (max pooling only): the maximum of the raw
      // inputs, then the relu on it; the gradient through the relu first, then to the maxima.
      // Values and gradients are the relu-then-pool ones (max(relu(x)) = relu(max(x)); a window
      // with no positive value gets gradient 0 either way), save for NaN inputs.
      let relu = false;
      let pooled: Tensor | undefined;
      let dPooled: Tensor | undefined;
      const geometry = (n: number) => ({ planes: n * C, H, W, kh, kw, sh, sw, outH, outW });
      return {
        type,
        outputShape: [C, outH, outW],
        params: [],
        ...(type === 'maxpool2d' && { takeRelu: () => (relu = true) }),
        forward(x) {
          const y = (out = Tensor.reuse(out, [x.rows, C, outH, outW], backend));
          if (type === 'avgpool2d') backend.avgpool(x.data, y.data, geometry(x.rows));
          else {
            if (argmax.length < y.size) {
              if (argmaxMemory) backend.free(argmaxMemory);
              argmaxMemory = backend.alloc(y.size);
              argmax = new Int32Array(argmaxMemory.buffer, argmaxMemory.byteOffset, y.size);
            }
            if (relu) {
              pooled = Tensor.reuse(pooled, y.shape, backend);
              backend.maxpool(x.data, pooled.data, argmax, geometry(x.rows));
              backend.leakyRelu(pooled.data, y.data, 0);
            } else backend.maxpool(x.data, y.data, argmax, geometry(x.rows));
          }
          input = x;
          return y;
        },
        backward(dy) {
          if (!input) throw new Error(`${type}.backward before forward`);
          dx = Tensor.reuse(dx, input.shape, backend);
          if (type === 'avgpool2d') backend.avgpoolBackward(dy.data, dx.data, geometry(input.rows));
          else if (relu) {
            dPooled = Tensor.reuse(dPooled, dy.shape, backend);
            backend.leakyReluBackward(pooled!.data, dy.data, dPooled.data, 0);
            backend.maxpoolBackward(dPooled.data, argmax, dx.data, geometry(input.rows));
          } else backend.maxpoolBackward(dy.data, argmax, dx.data, geometry(input.rows));
          return dx;
        },
      };
    },
  };
}

export const maxpool2d = pooling('maxpool2d', 'the maximum of each `size` window (n or [h, w]; stride `size` unless given)');
export const avgpool2d = pooling('avgpool2d', 'the mean of each `size` window (n or [h, w]; stride `size` unless given)');
