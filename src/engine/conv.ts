// Convolution as im2col + matrix product (Chellapilla et al. 2006,
// https://hal.inria.fr/inria-00112631): the gather, its adjoint, and the reference backend's
// batched convolution, whose columns for n samples sit side by side (K × n·P).
import type { MatmulArgs } from './backend.js';

export interface ConvGeometry {
  inC: number; inH: number; inW: number;
  kh: number; kw: number; sh: number; sw: number;
  outH: number; outW: number; padTop: number; padLeft: number;
}

/** The output columns ox whose input column ox·sw + j − padLeft lies inside [0, inW). */
function validColumns(g: ConvGeometry, j: number): [number, number] {
  const first = Math.max(0, Math.ceil((g.padLeft - j) / g.sw));
  const end = Math.min(g.outW, Math.floor((g.inW - 1 + g.padLeft - j) / g.sw) + 1);
  return [first, Math.max(first, end)];
}

/**
 * Visits the runs of the im2col matrix: for input channel c, kernel offset (i, j) and output row
 * oy, the run of outW columns starting at `run` (rows `ld` long, this sample from `offset`), the
 * input row's index shifted so that output column ox reads `input + ox·sw` (undefined when the
 * row lies in the padding), and the output columns [first, end) that read inside the image.
 */
function eachRun(g: ConvGeometry, ld: number, offset: number, visit: (run: number, input: number | undefined, first: number, end: number) => void): void {
  const { inC, inH, inW, kh, kw, sh, outH, outW, padTop, padLeft } = g;
  let row = 0;
  for (let c = 0; c < inC; c++) for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++, row++) {
    const [first, end] = validColumns(g, j);
    for (let oy = 0; oy < outH; oy++) {
      const y = oy * sh + i - padTop;
      visit(row * ld + offset + oy * outW, y < 0 || y >= inH ? undefined : (c * inH + y) * inW + j - padLeft, first, end);
    }
  }
}

/**
 * cols[(c·kh + i)·kw + j][offset + oy·outW + ox] = x[c][oy·sh + i − padTop][ox·sw + j − padLeft],
 * 0 outside; rows are `ld` long (several samples side by side), by default one sample's.
 */
export function im2col(x: Float32Array, g: ConvGeometry, cols: Float32Array, ld = g.outH * g.outW, offset = 0): void {
  const { outW, sw } = g;
  eachRun(g, ld, offset, (run, input, first, end) => {
    if (input === undefined) [first, end] = [0, 0];
    for (let ox = 0; ox < first; ox++) cols[run + ox] = 0;
    for (let ox = first; ox < end; ox++) cols[run + ox] = x[input! + ox * sw];
    for (let ox = end; ox < outW; ox++) cols[run + ox] = 0;
  });
}

/** The adjoint of im2col: adds each column entry back to its input pixel. */
export function col2im(cols: Float32Array, g: ConvGeometry, dx: Float32Array, ld = g.outH * g.outW, offset = 0): void {
  const { sw } = g;
  eachRun(g, ld, offset, (run, input, first, end) => {
    if (input !== undefined) for (let ox = first; ox < end; ox++) dx[input + ox * sw] += cols[run + ox];
  });
}

type Matmul = (a: Float32Array, b: Float32Array, out: Float32Array, args: MatmulArgs) => void;

const sizes = (g: ConvGeometry, n: number) => {
  const K = g.inC * g.kh * g.kw;
  const P = g.outH * g.outW;
  return { K, P, wide: n * P, inSize: g.inC * g.inH * g.inW };
};

/** y[s, f, p] = Σ_k W[f, k]·cols[k, s·P + p] + b[f]. */
export function conv2dForward(matmul: Matmul, x: Float32Array, weight: Float32Array, bias: Float32Array, y: Float32Array, cols: Float32Array,
  g: ConvGeometry, n: number): void {
  const { K, P, wide, inSize } = sizes(g, n);
  const F = bias.length;
  for (let s = 0; s < n; s++) im2col(x.subarray(s * inSize, (s + 1) * inSize), g, cols, wide, s * P);
  const product = new Float32Array(F * wide);
  matmul(weight, cols, product, { m: F, k: K, n: wide });
  for (let f = 0; f < F; f++) {
    for (let s = 0; s < n; s++) {
      for (let p = 0; p < P; p++) y[(s * F + f) * P + p] = product[f * wide + s * P + p] + bias[f];
    }
  }
}

/** dW = dY·colsᵀ, db = Σ dY over samples and positions, and dx = col2im(Wᵀ·dY) when dx is given. */
export function conv2dBackward(matmul: Matmul, cols: Float32Array, weight: Float32Array, dy: Float32Array, dWeight: Float32Array, dBias: Float32Array,
  dx: Float32Array | undefined, g: ConvGeometry, n: number): void {
  const { K, P, wide, inSize } = sizes(g, n);
  const F = dBias.length;
  const dyT = new Float32Array(F * wide);
  for (let f = 0; f < F; f++) {
    let sum = 0;
    for (let s = 0; s < n; s++) {
      for (let p = 0; p < P; p++) {
        const v = dy[(s * F + f) * P + p];
        dyT[f * wide + s * P + p] = v;
        sum += v;
      }
    }
    dBias[f] = sum;
  }
  matmul(dyT, cols, dWeight, { m: F, k: wide, n: K, transB: true });
  if (!dx) return;
  const dcols = new Float32Array(K * wide);
  matmul(weight, dyT, dcols, { m: K, k: F, n: wide, transA: true });
  dx.fill(0);
  for (let s = 0; s < n; s++) col2im(dcols, g, dx.subarray(s * inSize, (s + 1) * inSize), wide, s * P);
}
