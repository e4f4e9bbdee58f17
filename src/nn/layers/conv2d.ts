// 2-D convolution on NCHW images (LeCun et al. 1998), as im2col followed by one matrix product
// for the whole batch: Y = W·[cols(x_1) … cols(x_n)] + b with W of shape [out, in·kh·kw]
// ([out, in, kh, kw] as PyTorch stores it). One large product instead of n small ones keeps the
// GEMM kernels busy and lets them use every thread. `same` padding splits the total as TensorFlow does (extra on the bottom
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

/** The output columns ox whose input column ox·sw + j − padLeft lies inside [0, inW). */
function validColumns(g: ConvGeometry, j: number): [number, number] {
  const first = Math.max(0, Math.ceil((g.padLeft - j) / g.sw));
  const end = Math.min(g.outW, Math.floor((g.inW - 1 + g.padLeft - j) / g.sw) + 1);
  return [first, Math.max(first, end)];
}

/**
 * cols[(c·kh + i)·kw + j][offset + oy·outW + ox] = x[c][oy·sh + i − padTop][ox·sw + j − padLeft],
 * 0 outside; rows are `ld` long (several samples side by side), by default one sample's.
 * The inner loop runs only over valid columns, without bounds tests.
 */
export function im2col(x: Float32Array, g: ConvGeometry, cols: Float32Array, ld = g.outH * g.outW, offset = 0): void {
  const { inC, inH, inW, kh, kw, sh, sw, outH, outW, padTop, padLeft } = g;
  let row = 0;
  for (let c = 0; c < inC; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++, row++) {
    const base = row * ld + offset;
    const [first, end] = validColumns(g, j);
    for (let oy = 0; oy < outH; oy++) {
      const y = oy * sh + i - padTop;
      const to = base + oy * outW;
      if (y < 0 || y >= inH) {
        for (let ox = 0; ox < outW; ox++) cols[to + ox] = 0;
        continue;
      }
      for (let ox = 0; ox < first; ox++) cols[to + ox] = 0;
      for (let ox = end; ox < outW; ox++) cols[to + ox] = 0;
      // x index of output column ox: rowStart + ox·sw (rows are short: plain loops beat subarray copies)
      const rowStart = (c * inH + y) * inW + j - padLeft;
      for (let ox = first; ox < end; ox++) cols[to + ox] = x[rowStart + ox * sw];
    }
  }
}

/** The adjoint of im2col: adds each column entry back to its input pixel. */
export function col2im(cols: Float32Array, g: ConvGeometry, dx: Float32Array, ld = g.outH * g.outW, offset = 0): void {
  const { inC, inH, inW, kh, kw, sh, sw, outH, outW, padTop, padLeft } = g;
  let row = 0;
  for (let c = 0; c < inC; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++, row++) {
    const base = row * ld + offset;
    const [first, end] = validColumns(g, j);
    for (let oy = 0; oy < outH; oy++) {
      const y = oy * sh + i - padTop;
      if (y < 0 || y >= inH) continue;
      const from = base + oy * outW;
      const rowStart = (c * inH + y) * inW + j - padLeft;
      for (let ox = first; ox < end; ox++) dx[rowStart + ox * sw] += cols[from + ox];
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
    // scratch kept between batches: the batch's im2col, the product, and d cols
    let cols = new Float32Array(0);
    let product = new Float32Array(0);
    let dcols = new Float32Array(0);
    let input: Tensor | undefined;
    let out: Tensor | undefined;
    let dx: Tensor | undefined;
    return {
      type: 'conv2d',
      outputShape: [F, g.outH, g.outW],
      params: [weight, bias],
      forward(x) {
        const n = x.rows;
        const inSize = g.inC * g.inH * g.inW;
        const wide = n * P; // columns of the batch's cols matrix: sample-major, then position
        if (cols.length < K * wide) cols = new Float32Array(K * wide);
        for (let s = 0; s < n; s++) im2col(x.data.subarray(s * inSize, (s + 1) * inSize), g, cols, wide, s * P);
        if (product.length < F * wide) product = new Float32Array(F * wide);
        backend.matmul(weight.value.data, cols, product, { m: F, k: K, n: wide });
        // [F, n·P] → [n, F, P], adding the bias
        const y = (out = Tensor.reuse(out, [n, F, g.outH, g.outW]));
        const yd = y.data;
        for (let f = 0; f < F; f++) {
          const b = bias.value.data[f];
          for (let s = 0; s < n; s++) {
            const from = f * wide + s * P;
            const to = (s * F + f) * P;
            for (let p = 0; p < P; p++) yd[to + p] = product[from + p] + b;
          }
        }
        input = x;
        return y;
      },
      backwardParamsOnly: paramGrads,
      backward(dy) {
        paramGrads(dy);
        const n = input!.rows;
        const inSize = g.inC * g.inH * g.inW;
        const wide = n * P;
        // dcols = Wᵀ·dY, then back onto the pixels
        if (dcols.length < K * wide) dcols = new Float32Array(K * wide);
        backend.matmul(weight.value.data, product, dcols, { m: K, k: F, n: wide, transA: true });
        dx = Tensor.reuse(dx, input!.shape);
        dx.data.fill(0);
        for (let s = 0; s < n; s++) col2im(dcols, g, dx.data.subarray(s * inSize, (s + 1) * inSize), wide, s * P);
        return dx;
      },
    };
    function paramGrads(dy: Tensor): void {
      if (!input) throw new Error('conv2d.backward before forward');
      const n = input.rows;
      const wide = n * P;
      // [n, F, P] → [F, n·P] (kept in `product` for dcols), and db = Σ over samples and positions
      if (product.length < F * wide) product = new Float32Array(F * wide);
      const dyd = dy.data;
      for (let f = 0; f < F; f++) {
        let sum = 0;
        for (let s = 0; s < n; s++) {
          const from = (s * F + f) * P;
          const to = f * wide + s * P;
          product.set(dyd.subarray(from, from + P), to);
          for (let p = 0; p < P; p++) sum += dyd[from + p];
        }
        bias.grad.data[f] = sum;
      }
      // dW = dY·colsᵀ
      backend.matmul(product, cols, weight.grad.data, { m: F, k: wide, n: K, transB: true });
    }
  },
} satisfies LayerComponent<typeof schema>;
