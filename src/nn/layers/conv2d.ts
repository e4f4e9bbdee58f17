// 2-D convolution on NCHW images (LeCun et al. 1998), as im2col followed by one matrix product
// per sample: y_n = W·cols(x_n) + b with W of shape [out, in·kh·kw] ([out, in, kh, kw] as
// PyTorch stores it). `same` padding splits the total as TensorFlow does (extra on the bottom
// and right); `valid` uses none.
import * as z from 'zod';
import { count, strictObject } from '../../common/schema.js';
import { Tensor, shapeText } from '../../engine/tensor.js';
import { createInitializer, initializerSchema } from '../initializers/index.js';
import { LayerShapeError, type Layer, type LayerComponent, type Param } from '../layer.js';

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

export interface ConvGeometry {
  inC: number; inH: number; inW: number;
  kh: number; kw: number; sh: number; sw: number;
  outH: number; outW: number; padTop: number; padLeft: number;
}

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

/** cols[(c·kh + i)·kw + j][oy·outW + ox] = x[c][oy·sh + i − padTop][ox·sw + j − padLeft], 0 outside. */
export function im2col(x: Float32Array, g: ConvGeometry, cols: Float32Array): void {
  const { inC, inH, inW, kh, kw, sh, sw, outH, outW, padTop, padLeft } = g;
  let row = 0;
  for (let c = 0; c < inC; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++, row++) {
    const base = row * outH * outW;
    for (let oy = 0; oy < outH; oy++) {
      const y = oy * sh + i - padTop;
      for (let ox = 0; ox < outW; ox++) {
        const xx = ox * sw + j - padLeft;
        cols[base + oy * outW + ox] = y < 0 || y >= inH || xx < 0 || xx >= inW ? 0 : x[(c * inH + y) * inW + xx];
      }
    }
  }
}

/** The adjoint of im2col: adds each column entry back to its input pixel. */
export function col2im(cols: Float32Array, g: ConvGeometry, dx: Float32Array): void {
  const { inC, inH, inW, kh, kw, sh, sw, outH, outW, padTop, padLeft } = g;
  let row = 0;
  for (let c = 0; c < inC; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++, row++) {
    const base = row * outH * outW;
    for (let oy = 0; oy < outH; oy++) {
      const y = oy * sh + i - padTop;
      if (y < 0 || y >= inH) continue;
      for (let ox = 0; ox < outW; ox++) {
        const xx = ox * sw + j - padLeft;
        if (xx >= 0 && xx < inW) dx[(c * inH + y) * inW + xx] += cols[base + oy * outW + ox];
      }
    }
  }
}

export const conv2d = {
  type: 'conv2d',
  summary: 'convolution over [channels, height, width]: `filters`, `kernel` (3), `stride` (1), `padding` same | valid, `init`, `bias`',
  schema,
  create(config, { inputShape, backend, initRng }): Layer {
    const g = convGeometry(inputShape, config.kernel, config.stride, config.padding);
    const K = g.inC * g.kh * g.kw;
    const P = g.outH * g.outW;
    const F = config.filters;
    const weight: Param = { name: 'weight', value: Tensor.zeros([F, g.inC, g.kh, g.kw]), grad: Tensor.zeros([F, g.inC, g.kh, g.kw]), penalized: true };
    const bias: Param = { name: 'bias', value: Tensor.zeros([F]), grad: Tensor.zeros([F]), penalized: false };
    const fans = { fanIn: K, fanOut: F * g.kh * g.kw };
    createInitializer(config.init)(weight.value.data, fans, initRng);
    createInitializer(typeof config.bias === 'number' ? { type: 'constant', value: config.bias } : config.bias)(bias.value.data, fans, initRng);
    let cols = new Float32Array(0);
    let input: Tensor | undefined;
    return {
      type: 'conv2d',
      outputShape: [F, g.outH, g.outW],
      params: [weight, bias],
      forward(x) {
        const n = x.rows;
        if (cols.length < n * K * P) cols = new Float32Array(n * K * P);
        const y = Tensor.zeros([n, F, g.outH, g.outW]);
        const inSize = g.inC * g.inH * g.inW;
        for (let s = 0; s < n; s++) {
          const c = cols.subarray(s * K * P, (s + 1) * K * P);
          im2col(x.data.subarray(s * inSize, (s + 1) * inSize), g, c);
          const out = y.data.subarray(s * F * P, (s + 1) * F * P);
          backend.matmul(weight.value.data, c, out, { m: F, k: K, n: P });
          for (let f = 0; f < F; f++) {
            const b = bias.value.data[f];
            for (let p = 0; p < P; p++) out[f * P + p] += b;
          }
        }
        input = x;
        return y;
      },
      backward(dy) {
        if (!input) throw new Error('conv2d.backward before forward');
        const n = input.rows;
        const inSize = g.inC * g.inH * g.inW;
        const dx = new Tensor(input.shape);
        const dcols = new Float32Array(K * P);
        weight.grad.data.fill(0);
        bias.grad.data.fill(0);
        for (let s = 0; s < n; s++) {
          const d = dy.data.subarray(s * F * P, (s + 1) * F * P);
          // dW += dy_s · cols_sᵀ, db += Σ_p dy_s, dcols = Wᵀ · dy_s
          backend.matmul(d, cols.subarray(s * K * P, (s + 1) * K * P), weight.grad.data, { m: F, k: P, n: K, transB: true, accumulate: true });
          for (let f = 0; f < F; f++) {
            let sum = 0;
            for (let p = 0; p < P; p++) sum += d[f * P + p];
            bias.grad.data[f] += sum;
          }
          backend.matmul(weight.value.data, d, dcols, { m: K, k: F, n: P, transA: true });
          col2im(dcols, g, dx.data.subarray(s * inSize, (s + 1) * inSize));
        }
        return dx;
      },
    };
  },
} satisfies LayerComponent<typeof schema>;
