// 2-D convolution on NCHW images (LeCun et al. 1998), run by the backend as im2col followed by
// a matrix product per sample (engine/conv.ts): Y_s = W·cols(x_s) + b with
// W of shape [out, in·kh·kw] ([out, in, kh, kw] as PyTorch stores it). `same` padding splits the total as TensorFlow does (extra on the bottom
// and right); `valid` uses none.
import * as z from 'zod';
import { count, strictObject } from '../../common/schema.js';
import type { ConvGeometry } from '../../engine/conv.js';
import { Tensor, shapeText } from '../../engine/tensor.js';
import { createInitializer, initializerSchema } from '../initializers/index.js';
import { LayerShapeError, param, type Layer, type LayerComponent } from '../layer.js';

const size = z.union([count(), z.tuple([count(), count()])]);

const schema = strictObject({
  type: z.literal('conv2d'),
  filters: count(),
  kernel: size.default(3),
  stride: size.default(1),
  padding: z.enum(['same', 'valid']).default('same'),
  init: initializerSchema.prefault({ type: 'glorot-uniform' }),
  bias: z.union([z.number().finite(), initializerSchema]).default(0),
});

export function convGeometry(inputShape: readonly number[], kernel: number | [number, number], stride: number | [number, number], padding: 'same' | 'valid', type = 'conv2d'): ConvGeometry {
  if (inputShape.length !== 3) throw new LayerShapeError(`${type} needs images [channels, height, width], found input ${shapeText(inputShape)}`);
  const [inC, inH, inW] = inputShape;
  const [kh, kw] = typeof kernel === 'number' ? [kernel, kernel] : kernel;
  const [sh, sw] = typeof stride === 'number' ? [stride, stride] : stride;
  const out = (n: number, k: number, s: number) => (padding === 'same' ? Math.ceil(n / s) : Math.floor((n - k) / s) + 1);
  const [outH, outW] = [out(inH, kh, sh), out(inW, kw, sw)];
  if (outH < 1 || outW < 1) throw new LayerShapeError(`${type}: a ${kh}×${kw} window does not fit input ${shapeText(inputShape)}`);
  const pad = (o: number, k: number, s: number, n: number) => (padding === 'same' ? Math.floor(Math.max((o - 1) * s + k - n, 0) / 2) : 0);
  return { inC, inH, inW, kh, kw, sh, sw, outH, outW, padTop: pad(outH, kh, sh, inH), padLeft: pad(outW, kw, sw, inW) };
}

export const conv2d = {
  type: 'conv2d',
  summary: 'convolution over [channels, height, width]: `filters`, `kernel` (3), `stride` (1), `padding` same | valid, `init`, `bias`',
  schema,
  create(config, { inputShape, backend, initRng }): Layer {
    const g = convGeometry(inputShape, config.kernel, config.stride, config.padding);
    const K = g.inC * g.kh * g.kw;
    const F = config.filters;
    const weight = param('weight', [F, g.inC, g.kh, g.kw], backend, true);
    const bias = param('bias', [F], backend, false);
    const fans = { fanIn: K, fanOut: F * g.kh * g.kw };
    createInitializer(config.init)(weight.value.data, fans, initRng);
    createInitializer(typeof config.bias === 'number' ? { type: 'constant', value: config.bias } : config.bias)(bias.value.data, fans, initRng);
    let input: Tensor | undefined;
    let cols: Tensor | undefined; // the batch's im2col columns, from forward to backward
    let out: Tensor | undefined;
    let dx: Tensor | undefined;
    const paramGrads = (dy: Tensor, inputGrad?: Float32Array) => {
      if (!input) throw new Error('conv2d.backward before forward');
      backend.conv2dBackward(cols!.data, weight.value.data, dy.data, weight.grad.data, bias.grad.data, inputGrad, g, input.rows);
    };
    return {
      type: 'conv2d',
      outputShape: [F, g.outH, g.outW],
      params: [weight, bias],
      forward(x) {
        out = Tensor.reuse(out, [x.rows, F, g.outH, g.outW], backend);
        cols = Tensor.reuse(cols, [x.rows, K, g.outH * g.outW], backend);
        backend.conv2dForward(x.data, weight.value.data, bias.value.data, out.data, cols.data, g, x.rows);
        input = x;
        return out;
      },
      backwardParamsOnly: (dy) => paramGrads(dy),
      backward(dy) {
        dx = Tensor.reuse(dx, input!.shape, backend);
        paramGrads(dy, dx.data);
        return dx;
      },
    };
  },
} satisfies LayerComponent<typeof schema>;
